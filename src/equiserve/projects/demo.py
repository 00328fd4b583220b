"""The plan's projects for the demo city (issue 17): fast and deterministic.

Names, clauses and lead departments are the plan's, and so are the dates it
states (3.1.3 from the spring term 2014; 3.2.1 e-reading rooms in 2014, shared
resources 2015–2016; kept in the project's description); every other date,
every budget, payment and document number is illustrative
(`Project.illustrative`, shown on the pages) for the department to replace.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction

from equiserve.projects.models import (
    Milestone,
    Project,
    ProjectDocument,
    Spending,
)

D = dt.date
# code, clause, department, town, source, status, budget, zh, en, illustrative
# fmt: off
PROJECTS = [
    ("training-base-swap", "3.9", "disabled-federation", None, "city", "in-progress", "12800000.00", "残疾人职业培训基地与原第二幼儿园置换", "Swap of the disability training base with the former second kindergarten", True),
    ("childrens-school", "3.9", "disabled-federation", None, "city", "in-progress", "45600000.00", "重度残疾儿童学校建设", "School for children with severe disabilities", True),
    ("service-centre", "3.9", "disabled-federation", None, "city", "planned", "31250000.00", "残疾人综合服务中心建设", "Comprehensive service centre for persons with disabilities", True),
    ("senior-high-transfer", "3.1.3", "education", None, "city", "completed", "8600000.00", "镇区普通高中收归市统筹管理及资源共享", "Town senior high schools under city management, facilities shared", True),
    ("digital-culture-db", "3.2.1", "culture", None, "city", "in-progress", "5400000.50", "全市公共数字文化资源库", "City public digital culture database", True),
    ("self-service-libraries", "3.2.2", "culture", None, "city", "in-progress", "7200000.00", "24小时自助图书馆", "24-hour self-service libraries", True),
    ("incubation-xiaolan", "3.7", "hr-social-security", "442000100", "town", "completed", "2300000.00", "小榄镇创业孵化基地", "Xiaolan start-up incubation base", True),
    ("incubation-guzhen", "3.7", "hr-social-security", "442000105", "town", "in-progress", "1950000.00", "古镇镇创业孵化基地", "Guzhen start-up incubation base", True),
    ("housing-construction", "3.8", "housing", None, "city", "in-progress", "186000000.00", "公共租赁住房建设", "Public rental housing construction", True),
]
# project, zh, en, planned start, planned completion, actual, status
MILESTONES = [
    ("training-base-swap", "置换方案报批", "Swap plan approved", D(2014, 3, 1), D(2014, 9, 30), D(2014, 10, 20), "done"),
    ("training-base-swap", "原第二幼儿园改造", "Former kindergarten refitted", D(2014, 10, 1), D(2015, 9, 30), D(2015, 12, 15), "done"),
    ("training-base-swap", "培训基地启用", "Training base opens", D(2015, 10, 1), D(2016, 6, 30), None, "late"),
    ("childrens-school", "选址与立项", "Site and project approval", D(2014, 1, 1), D(2014, 12, 31), D(2014, 12, 10), "done"),
    ("childrens-school", "主体工程", "Main construction", D(2015, 1, 1), D(2016, 6, 30), D(2016, 5, 31), "done"),
    ("childrens-school", "开学招生", "First pupils admitted", D(2016, 7, 1), D(2016, 9, 1), None, "pending"),
    ("service-centre", "可行性研究", "Feasibility study", D(2015, 1, 1), D(2015, 12, 31), D(2015, 11, 30), "done"),
    ("service-centre", "设计招标", "Design tender", D(2016, 1, 1), D(2016, 12, 31), None, "pending"),
    ("senior-high-transfer", "镇区高中划归市管理", "Town senior highs transferred to the city", D(2014, 1, 1), D(2014, 2, 28), D(2014, 2, 17), "done"),
    ("senior-high-transfer", "场地、师资、图书馆共享", "Land, teachers, libraries and grounds shared", D(2014, 3, 1), D(2015, 12, 31), D(2015, 12, 20), "done"),
    ("digital-culture-db", "村居电子阅览室全覆盖", "E-reading rooms in every village and community", D(2014, 1, 1), D(2014, 12, 31), D(2014, 12, 30), "done"),
    ("digital-culture-db", "五类数字资源共建共享", "Five kinds of digital resources shared", D(2015, 1, 1), D(2016, 12, 31), None, "pending"),
    ("self-service-libraries", "首批自助图书馆", "First self-service libraries", D(2014, 6, 1), D(2015, 6, 30), D(2015, 6, 18), "done"),
    ("self-service-libraries", "覆盖全部镇区", "Every town covered", D(2015, 7, 1), D(2016, 12, 31), None, "pending"),
    ("incubation-xiaolan", "孵化基地挂牌", "Incubation base opens", D(2014, 6, 1), D(2015, 6, 30), D(2015, 4, 28), "done"),
    ("incubation-guzhen", "孵化基地挂牌", "Incubation base opens", D(2015, 1, 1), D(2016, 6, 30), None, "pending"),
    ("housing-construction", "2014年度开工", "2014 construction starts", D(2014, 1, 1), D(2014, 12, 31), D(2014, 11, 30), "done"),
    ("housing-construction", "2015年度竣工交付", "2015 units completed", D(2015, 1, 1), D(2015, 12, 31), D(2016, 3, 31), "done"),
    ("housing-construction", "2016年度竣工交付", "2016 units completed", D(2016, 1, 1), D(2016, 12, 31), None, "pending"),
]
# fmt: on
# What the plan itself states about a project's dates (the rest is illustrative).
PLAN_NOTES = {
    "senior-high-transfer": "方案3.1.3：从2014年春季学期起，各镇区普通高中收归市统筹管理。",
    "digital-culture-db": "方案3.2.1：2014年村居电子阅览室全覆盖；2015-2016年实现数字资源共享。",
}


@transaction.atomic
def projects_demo_load() -> int:
    """Replace the demo projects; return how many were loaded."""
    Project.objects.filter(code__in=[p[0] for p in PROJECTS]).delete()
    projects = {}
    for code, clause, dept, town, source, status, budget, zh, en, illus in PROJECTS:
        projects[code] = Project.objects.create(
            code=code,
            clause=clause,
            lead_department=dept,
            town_id=town,
            funding_source=source,
            status=status,
            budget=Decimal(budget),
            name=zh,
            name_en=en,
            illustrative=illus,
            description=PLAN_NOTES.get(code, ""),
        )
    milestones = Milestone.objects.bulk_create(
        Milestone(
            project=projects[code],
            position=i,
            name=zh,
            name_en=en,
            planned_start=start,
            planned_date=planned,
            actual_date=actual,
            status=status,
        )
        for i, (code, zh, en, start, planned, actual, status) in enumerate(MILESTONES)
    )
    spendings = []
    for n, m in enumerate(milestones):
        if m.actual_date is None:
            continue
        budget = m.project.budget
        # An illustrative share of the budget per milestone done, to the fen.
        amount = (budget * Decimal(20 + 7 * (n % 5)) / 100).quantize(Decimal("0.01"))
        spendings.append(
            Spending(
                project=m.project,
                milestone=m,
                paid_on=m.actual_date,
                amount=amount + Decimal("0.37"),
                description=m.name,
            )
        )
    Spending.objects.bulk_create(spendings)
    ProjectDocument.objects.bulk_create(
        ProjectDocument(
            project=p,
            title=f"{p.name}实施方案",
            reference=f"中府办〔2014〕{10 + i}号",
            issued_on=D(2014, 3, 1),
        )
        for i, p in enumerate(projects.values())
    )
    return len(projects)
