"""The applications generator (issue 7's benchmark): bulk rows over the demo catalog that share one
stored file, with timelines, unique business numbers, and the acceptor's queue filled."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from govhall.applications import queries
from govhall.applications.models import Application, MaterialSubmission, Status, TimelineEntry
from govhall.demo import applications_generator


@pytest.fixture(autouse=True)
def _private_root(settings, tmp_path):
    settings.APPLICATIONS_PRIVATE_ROOT = tmp_path / "private"


def generate(*args: str) -> str:
    out = io.StringIO()
    call_command("generate_data", *args, stdout=out)
    return out.getvalue()


def test_generated_applications_share_one_file_and_have_timelines(demo):
    generate("--count", "40", "--only", "users")
    before = Application.objects.count()
    output = generate("--count", "200", "--only", "applications")

    assert "generated 200 applications" in output
    generated = Application.objects.filter(applicant__username__startswith=applications_generator.USER_PREFIX)
    assert generated.count() == 200
    assert Application.objects.count() == before + 200
    files = set(MaterialSubmission.objects.filter(application__in=generated).values_list("file", flat=True))
    assert files == {applications_generator.SHARED_FILE}
    assert TimelineEntry.objects.filter(application__in=generated).count() >= 200
    numbers = list(generated.values_list("business_number", flat=True))
    assert len(set(numbers)) == 200
    assert set(generated.values_list("status", flat=True)) >= {Status.AWAITING_ACCEPTANCE, Status.IN_REVIEW}
    assert queries.staff_queue(demo["amr_acceptor"], "acceptance").count() > 1


def test_without_published_items_there_is_nothing_to_write(db):
    assert applications_generator.target(10_000) == 0
