"""Who signs off a safe copy, and what must be settled before they approve it.

A sign-off request used to go to the project's information rights member only;
on a project without one nobody was told and the plan waited for ever. The
programme's information rights officers (everyone holding the information rights
role on any project) are the fallback, and may sign off that project's plan.

The paperwork rule: a safe copy can still leak what should not be shared at all.
While the source's legal basis is "To be agreed", or its data-sharing agreement
is needed but not signed by every party (or has expired), approval needs a
written reason that the audit entry keeps. The agreement's status is read from
the governance area, where the agreement itself is drafted and signed.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.urls import reverse

from community_insights.portal.core.notifications import Message, absolute_link, notify
from community_insights.portal.datasets import permissions
from community_insights.portal.datasets.models import Dataset, DataSource, RemedyPlanVersion
from community_insights.portal.datasets.permissions import SIGN_OFF_ROLES
from community_insights.portal.governance.selectors import agreement_summary_for_source


def programme_officers(programme: Any) -> QuerySet[Any]:
    """The programme's information rights officers: active people holding the role on any of its projects.

    Only that programme's: another programme's officers never hear of its data.
    """
    return (
        get_user_model()
        .objects.filter(
            project_roles__role__in=SIGN_OFF_ROLES,
            project_roles__project__programme=programme,
            is_active=True,
        )
        .distinct()
    )


def sign_off_recipients(plan: RemedyPlanVersion) -> list[Any]:
    """The project's information rights members, else the programme's officers; never the plan's author.

    The author cannot sign off their own plan, so they are left out of both lists.
    """
    from community_insights.portal.projects.models import ProjectRole

    dataset = plan.dataset
    roles = ProjectRole.objects.filter(
        project_id=dataset.project_id, role__in=SIGN_OFF_ROLES, user__is_active=True
    ).select_related("user")
    people = {r.user for r in roles if r.user_id != plan.created_by_id}
    if not people:
        officers = programme_officers(dataset.project.programme)
        people = {u for u in officers if u.pk != plan.created_by_id}
    return sorted(people, key=lambda u: (u.get_full_name() or u.email).lower())


def paperwork_problems(source: DataSource) -> list[str]:
    """What is unresolved about the source's paperwork, in one plain sentence each (empty when settled)."""
    problems = []
    if source.legal_basis == DataSource.LegalBasis.TO_BE_AGREED:
        problems.append(f"The legal basis for sharing {source.name} is still to be agreed.")
    agreement = agreement_summary_for_source(source)
    if not agreement.settled:
        problems.append(
            f"The data-sharing agreement for {source.name} is not signed (it is: {agreement.label.lower()})."
        )
    return problems


def link(path: str) -> str:
    """An absolute link for an email, naming its programme (``core.notifications.absolute_link``)."""
    return absolute_link(path)


def notify_sign_off_needed(dataset: Dataset, plan: RemedyPlanVersion) -> list[Any]:
    """Tell each person who can sign off what waits for them, with a link to the sign-off page."""
    people = sign_off_recipients(plan)
    url = link(reverse("datasets:plan_sign_off", kwargs={"dataset_id": dataset.pk, "number": plan.number}))
    paperwork = paperwork_problems(dataset.source)
    subject = f"Sign-off waiting: a safe copy of {dataset.title}"
    for person in people:
        extra = {"plan_number": plan.number, "paperwork": paperwork}
        extra["as_programme_officer"] = not _is_project_member(person, dataset)
        _email(person, subject, "sign_off_needed", dataset, url, **extra)
    return people


def _is_project_member(person: Any, dataset: Dataset) -> bool:
    return dataset.project.roles.filter(user=person, role__in=SIGN_OFF_ROLES).exists()


SAMPLE_ROWS = 20


def safe_copy_sample(*, actor: Any, plan: RemedyPlanVersion) -> Any:
    """A sample of the safe copy's rows for the person who may sign it off; the reading is audited.

    The report asks that a person read a sample of the redacted text before the
    copy is shared; this is that sample. Only someone who may sign the plan off
    reads it, only while it waits for sign-off, and each reading is recorded.
    """
    from community_insights.portal.core import audit
    from community_insights.portal.core.exceptions import ApplicationError, NotPermitted
    from community_insights.portal.datasets import engine, permissions, storage

    if not permissions.can_sign_off_plan(actor, plan):
        raise NotPermitted("Only the person signing off this plan can read a sample of its safe copy.")
    copy = getattr(plan, "safe_copy", None)
    if plan.status != RemedyPlanVersion.Status.AWAITING_SIGN_OFF or copy is None or not copy.stored_name:
        raise ApplicationError("This plan is not waiting for sign-off.")
    with storage.decrypted_copy(copy.stored_name, copy.file_name) as path:
        sample = engine.sample_rows(path, n=SAMPLE_ROWS)
    audit.record(
        actor=actor,
        action="datasets.safe_copy_sample_view",
        target=copy,
        project_id=plan.dataset.project_id,
        changes={"plan_version": plan.number, "rows_shown": len(sample.rows), "sha256": copy.sha256},
    )
    return sample


def notify_check_finished(dataset: Dataset, verdict: str) -> list[Any]:
    """Tell everyone on the team who may read the findings that the check finished, with a link to them.

    The email used to go only to the person who uploaded the file, without a link;
    the analysts of the owning organisation and the information rights members need
    it too. People the findings page would refuse are not sent a link to it.
    """
    from community_insights.portal.projects.models import ProjectRole

    roles = ProjectRole.objects.filter(project_id=dataset.project_id, user__is_active=True).select_related("user")
    people = {r.user for r in roles if permissions.can_work_on_dataset(r.user, dataset) or _may_sign(r.user, dataset)}
    if dataset.uploaded_by is not None and dataset.uploaded_by.is_active:
        people.add(dataset.uploaded_by)
    url = link(reverse("datasets:findings", kwargs={"dataset_id": dataset.pk}))
    subject = f"The data safety check of {dataset.title} has finished"
    for person in sorted(people, key=lambda u: u.email):
        _email(person, subject, "check_finished", dataset, url, verdict=verdict)
    return sorted(people, key=lambda u: u.email)


def _may_sign(user: Any, dataset: Dataset) -> bool:
    return bool(permissions.is_information_rights(user, dataset))


def _email(person: Any, subject: str, template: str, dataset: Dataset, url: str, **context: Any) -> None:
    """One email to one person about ``dataset``, with a link to what waits for them."""
    context.update(
        name=person.get_full_name() or person.email,
        dataset_title=dataset.title,
        project_title=dataset.project.title,
        url=url,
    )
    notify(Message(to=[person.email], subject=subject, template=f"datasets/email/{template}", context=context))
