"""Who may see and change the plan's projects: the one place the rules live.

- office, auditor and an administrator: every project, read-only (an
  administrator also writes, like every app's administrative writes);
- department officer (and health officer): every project, read-only, and
  writes (milestones, spending, documents) on the projects their department
  leads; their overdue list shows their own projects;
- setting a project up (its fields and milestones on the project form) and
  filing its documents: the office for any project, a department officer for
  the projects their department leads (a new one is led by their department);
  an auditor never;
- a document is downloaded by whoever reads its project (every download is
  audited by the view);
- town officers, anonymous users and users without a role: nothing (404).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import acts_for, scope_of
from equiserve.projects.models import Milestone, Project, ProjectDocument

NOT_FOUND = "no such project"
READERS = (Role.OFFICE, Role.AUDITOR, Role.DEPARTMENT, Role.HEALTH)


def reads_projects(user) -> bool:
    scope = scope_of(user)
    return scope is not None and (scope.administers or scope.role in READERS)


def require_reader(user) -> None:
    """Raise Http404 unless `user` reads projects."""
    if not reads_projects(user):
        raise Http404(NOT_FOUND)


def writes_project(user, project: Project) -> bool:
    """Return whether `user` updates `project`: its lead department, or an admin."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers or acts_for(user, project.lead_department)
    )


def sets_up_projects(user) -> bool:
    """Return whether `user` creates projects: the office, a department officer."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers
        or scope.role == Role.OFFICE
        or bool(scope.acting_department and not scope.read_only)
    )


def edits_project(user, project: Project) -> bool:
    """Return whether `user` edits `project`'s set-up and files its documents."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers
        or scope.role == Role.OFFICE
        or acts_for(user, project.lead_department)
    )


def chooses_department(user) -> bool:
    """Return whether `user` names a project's lead department (else their own)."""
    scope = scope_of(user)
    return scope is not None and (scope.administers or scope.role == Role.OFFICE)


def require_setup(user) -> None:
    """Raise 404 for no reader, 403 for a reader who sets no project up."""
    require_reader(user)
    if not sets_up_projects(user):
        raise PermissionDenied("the office and the departments set projects up")


def access_project_for_edit(user, code: str) -> Project:
    """Return the project if `user` edits it; 404 for no reader, 403 else."""
    project = access_project(user, code)
    if not edits_project(user, project):
        raise PermissionDenied("only the office and the lead department edit it")
    return project


def access_document(user, code: str, pk) -> ProjectDocument:
    """Return the project's document with a file if `user` reads the project; 404 else."""
    project = access_project(user, code)
    document = (
        ProjectDocument.objects.filter(project=project, pk=_int(pk))
        .exclude(filename="")
        .first()
    )
    if document is None:
        raise Http404(NOT_FOUND)
    return document


def overdue_department(user) -> str | None:
    """Return the department whose overdue milestones `user` sees ('' for all)."""
    require_reader(user)
    scope = scope_of(user)
    if scope.administers or scope.read_only:
        return ""
    return scope.acting_department


def access_project(user, code: str) -> Project:
    """Return the project with `code` if `user` may read it; 404 otherwise."""
    require_reader(user)
    project = Project.objects.select_related("town").filter(code=str(code)).first()
    if project is None:
        raise Http404(NOT_FOUND)
    return project


def access_project_for_change(user, code: str) -> Project:
    """Return the project if `user` may change it; 404 for no reader, 403 else."""
    project = access_project(user, code)
    if not writes_project(user, project):
        raise PermissionDenied("only the lead department updates its project")
    return project


def access_milestone_for_change(user, pk) -> Milestone:
    """Return the milestone if `user` may change its project (404 / 403)."""
    require_reader(user)
    milestone = Milestone.objects.select_related("project").filter(pk=_int(pk)).first()
    if milestone is None:
        raise Http404(NOT_FOUND)
    if not writes_project(user, milestone.project):
        raise PermissionDenied("only the lead department updates its project")
    return milestone


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
