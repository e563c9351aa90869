"""Part 1 of Phase 3 (explore solutions): similar work, research, options, skills, scores and the choice."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from community_insights.portal.core.exceptions import ApplicationError
from community_insights.portal.core.viewtools import call_service, posted
from community_insights.portal.solutions import forms, permissions, selectors, services
from community_insights.portal.solutions.views.common import GET_POST, form_page, project_for, show, url


def _add_view(form_class: type[Form], service: Any, rule: Any, success: str, back: tuple[str, str]) -> Any:
    """A page that adds one thing to the project: the form, then back to the list it belongs to."""

    @login_required
    @GET_POST
    def view(request: HttpRequest, slug: str) -> HttpResponse:
        project = project_for(request, slug, rule)
        return form_page(
            request,
            form_class(posted(request)),
            on=project,
            service=service,
            success=success,
            back=back,
            project=project,
        )

    view.__doc__ = f"Add to the project with {form_class.__name__}, then go back to {back[1].lower()}."
    return view


similar_work_add = _add_view(
    forms.SimilarWorkForm,
    services.similar_work_add,
    permissions.can_contribute,
    "Similar work added.",
    ("similar_work", "Similar work"),
)
session_add = _add_view(
    forms.ResearchSessionForm,
    services.research_session_log,
    permissions.can_log_research,
    "Session logged. The notes are sealed; the themes and quotes were checked for personal data.",
    ("research", "Qualitative research"),
)
option_add = _add_view(
    forms.OptionForm, services.option_add, permissions.can_contribute, "Option added.", ("options", "Solution options")
)


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    """Where the project is in Phase 3 and what is next."""
    project = project_for(request, slug)
    parts = selectors.phase_steps(project)
    return show(
        request,
        project,
        "overview",
        parts=parts,
        next=selectors.next_step(parts),
        chosen=selectors.chosen_option(project),
    )


@login_required
@require_GET
def similar_work(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_for(request, slug)
    return show(
        request,
        project,
        "similar_work",
        items=selectors.similar_work(project),
        can_add=permissions.can_contribute(request.user, project),
    )


@login_required
@require_GET
def research(request: HttpRequest, slug: str) -> HttpResponse:
    """The plan and the sessions' themes and redacted quotes: what the wider team may read."""
    project = project_for(request, slug)
    return show(
        request,
        project,
        "research",
        plan=selectors.research_plan(project),
        sessions=selectors.research_sessions(project),
        can_plan=permissions.can_run_phase(request.user, project),
        can_log=permissions.can_log_research(request.user, project),
        can_read_raw=permissions.can_read_raw_notes(request.user, project),
    )


@login_required
@GET_POST
def research_plan(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_for(request, slug, permissions.can_run_phase)
    plan = selectors.research_plan(project)
    initial = {}
    if plan is not None:
        fields = ("participants", "how_many", "format", "consent_wording", "questions", "research_lead")
        initial = {name: getattr(plan, name) for name in fields}
    team = selectors.team_people(project)
    return form_page(
        request,
        forms.ResearchPlanForm(posted(request), initial=initial, team=team),
        on=project,
        service=services.research_plan_save,
        success="Research plan saved.",
        back=("research", "Qualitative research"),
        project=project,
    )


@login_required
@require_GET
def session_notes(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The raw notes of one session, for the research lead and the information rights expert (audited)."""
    project = project_for(request, slug, permissions.can_read_raw_notes)
    session = selectors.session_get(project=project, pk=pk)
    refusal = Form({})  # no fields: a refusal (notes that cannot be opened) goes in its error summary
    _, notes = call_service(refusal, services.research_notes_open, actor=request.user, session=session)
    response = show(request, project, "session_notes", session=session, notes=notes, form=refusal)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@GET_POST
def consent(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_log_research)
    session = selectors.session_get(project=project, pk=pk)
    initial = {"given": [str(c.number) for c in session.consents.all() if c.given]}
    return form_page(
        request,
        forms.ConsentForm(posted(request), initial=initial, participants=session.participant_count),
        on=project,
        service=services.consent_record,
        success="Consent saved.",
        back=("research", "Qualitative research"),
        session=session,
    )


@login_required
@require_GET
def options(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_for(request, slug)
    return show(
        request,
        project,
        "options",
        rows=selectors.option_rows(project, request.user),
        chosen=selectors.chosen_option(project),
        can_add=permissions.can_contribute(request.user, project),
        can_score=permissions.can_score_option(request.user, project),
        can_choose=permissions.can_run_phase(request.user, project),
    )


@login_required
@require_GET
def option_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """One option, with the skills the guide says it needs against the team and its day budgets."""
    project = project_for(request, slug)
    option = selectors.option_get(project=project, pk=pk)
    return show(
        request,
        project,
        "option_detail",
        option=option,
        kinds=[k for k in selectors.solution_kinds() if k.key in option.kinds],
        needs=selectors.option_skills(option),
        can_estimate=permissions.can_contribute(request.user, project),
    )


@login_required
@GET_POST
def option_estimates(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_contribute)
    option = selectors.option_get(project=project, pk=pk)
    needs = selectors.option_skills(option)
    form = forms.EstimatesForm(posted(request), needs=needs, initial={f"days_{n.skill.key}": n.estimate for n in needs})
    back = url("option_detail", project, option.pk)
    if form.is_valid():
        ok, _ = call_service(form, services.estimates_save, actor=request.user, option=option, days=form.days())
        if ok:
            messages.success(request, "Estimates saved.")
            return redirect(back)
    context = {"form": form, "project": project, "back_url": back, "back_label": option.title, "option": option}
    return render(request, "solutions/form_page.html", context)


@login_required
@GET_POST
def option_score(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    project = project_for(request, slug, permissions.can_score_option)
    option = selectors.option_get(project=project, pk=pk)
    mine = selectors.score_of(option=option, user=request.user)
    initial = {"score": str(mine.score), "comment": mine.comment} if mine else {}
    return form_page(
        request,
        forms.ScoreForm(posted(request), initial=initial),
        on=project,
        service=services.option_score,
        success=f"Your score for {option.title} is saved.",
        back=("options", "Solution options"),
        option=option,
    )


@login_required
@GET_POST
def option_choose(request: HttpRequest, slug: str) -> HttpResponse:
    project = project_for(request, slug, permissions.can_run_phase)
    return form_page(
        request,
        forms.ChooseForm(posted(request), options=project.solution_options.all()),
        on=project,
        service=services.option_choose,
        success="Choice recorded. The team has been emailed.",
        back=("options", "Solution options"),
        project=project,
        base_url=request.build_absolute_uri("/"),
    )


@login_required
@GET_POST
def option_sketch(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Add or replace the option's sketch: a picture (re-drawn and sealed) or one of the project's outputs."""
    project = project_for(request, slug, permissions.can_contribute)
    option = selectors.option_get(project=project, pk=pk)
    form = forms.SketchForm(
        posted(request), request.FILES if request.method == "POST" else None, outputs=project.outputs.all()
    )
    back = url("option_detail", project, option.pk)
    if form.is_valid():
        ok, _ = call_service(form, services.sketch_save, actor=request.user, option=option, **form.cleaned_data)
        if ok:
            messages.success(request, "Sketch saved.")
            return redirect(back)
    context = {"form": form, "project": project, "back_url": back, "back_label": option.title}
    return render(request, "solutions/form_page.html", context)


@login_required
@require_GET
def option_sketch_image(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The sketch's picture, for the option's page (never cached: the project may be private)."""
    project = project_for(request, slug)
    option = selectors.option_get(project=project, pk=pk)
    try:
        picture = services.sketch_picture(actor=request.user, option=option)
    except ApplicationError as error:
        raise Http404(error.message) from None
    response = HttpResponse(picture, content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
