import pytest
from django.core.management import CommandError, call_command

from councils.models import Resolution, VoteOption
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def resolution():
    c = council(size=3)
    session = session_in_progress(c, present=3)
    motion = vote_services.motion_open(actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba")
    for i in range(3):
        vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES)
    return vote_services.motion_close(actor=c.secretary, motion=motion)


def test_verify_hashes_passes_on_untouched_records(resolution, capsys):
    call_command("verify_hashes")
    assert "1 registro verificado" in capsys.readouterr().out


def test_verify_hashes_catches_a_row_edited_behind_the_portals_back(resolution):
    # An UPDATE straight to the table, as someone with database access would do it.
    Resolution.objects.filter(pk=resolution.pk).update(text="Se aprueba otra cosa")
    with pytest.raises(CommandError, match="1 de 1"):
        call_command("verify_hashes")
