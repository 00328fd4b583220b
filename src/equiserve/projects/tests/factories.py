"""Projects, milestones and spending for the projects app's tests."""

import datetime as dt
import itertools
from decimal import Decimal

from equiserve.projects.models import Milestone, Project, ProjectDocument, Spending

_serial = itertools.count(1)


def make_project(department: str = "disabled-federation", **fields) -> Project:
    number = next(_serial)
    defaults = {
        "code": f"p-{number}",
        "name": f"项目{number}",
        "name_en": f"Project {number}",
        "clause": "3.9",
        "budget": Decimal("1000000.00"),
    }
    return Project.objects.create(lead_department=department, **(defaults | fields))


def make_milestone(project: Project, planned: dt.date, **fields) -> Milestone:
    number = next(_serial)
    defaults = {
        "name": f"节点{number}",
        "name_en": f"Milestone {number}",
        "planned_start": planned - dt.timedelta(days=90),
        "position": number,
    }
    return Milestone.objects.create(
        project=project, planned_date=planned, **(defaults | fields)
    )


def make_spending(project: Project, paid_on: dt.date, amount: str) -> Spending:
    return Spending.objects.create(
        project=project, paid_on=paid_on, amount=Decimal(amount)
    )


PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def make_document(project: Project, content: bytes = PDF, **fields) -> ProjectDocument:
    import hashlib

    defaults = {
        "title": "实施方案",
        "issued_on": dt.date(2015, 3, 1),
        "filename": "plan.pdf",
        "content_type": "application/pdf",
        "size": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
        "content": content,
    }
    return ProjectDocument.objects.create(project=project, **(defaults | fields))
