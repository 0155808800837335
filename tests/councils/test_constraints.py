"""Invariants the database itself holds, whatever code path writes."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from councils.models import Membership, Motion, MotionState, Vote
from tests.factories import BodyFactory, MembershipFactory, MotionFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_a_second_vote_of_one_member_on_one_motion_fails_at_the_database():
    motion = MotionFactory()
    membership = MembershipFactory(body=motion.agenda_item.session.body)
    # Plain inserts, past the services (and any factory): the database must refuse the second on its own.
    Vote.objects.create(motion=motion, voter=membership.person, membership=membership, option="a_favor")
    with pytest.raises(IntegrityError), transaction.atomic():
        Vote.objects.create(motion=motion, voter=membership.person, membership=membership, option="en_contra")
    assert Vote.objects.count() == 1


def test_a_membership_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2024, 12, 31))


def test_a_person_holds_one_open_seat_per_body():
    body, person = BodyFactory(), PersonFactory()
    MembershipFactory(body=body, person=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(body=body, person=person)
    MembershipFactory(body=BodyFactory(), person=person)  # another body is fine
    assert Membership.objects.filter(person=person).count() == 2


def test_a_motion_cannot_be_closed_without_a_result():
    motion = MotionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Motion.objects.filter(pk=motion.pk).update(state=MotionState.CLOSED)
