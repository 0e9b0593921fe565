"""Due dates by FOIA 2000 s10 and FOISA 2002 s10/s73. Every expected date was
counted by hand on a calendar (the comments show the count)."""

import datetime

import pytest

from foi_requests.deadlines import (
    DeadlineStatus,
    add_working_days,
    deadline_status,
    due_date,
    is_working_day,
    working_days_between,
)
from foi_requests.filters import FoiRequestFilter
from foi_requests.models import FoiOutcome, FoiRequest
from register.models import FoiAct, Nation
from tests.factories import FoiRequestFactory, ForceFactory

D = datetime.date
FOIA, FOISA = FoiAct.FOIA, FoiAct.FOISA


def test_lancashire_seed_request_was_due_on_28_july_2022_because_of_the_northern_irish_holiday():
    # 30 Jun, 1 Jul, 4-8, 11 (8 days); 12 July skipped (Battle of the Boyne, NI); 13-15, 18-22, 25-28.
    assert not is_working_day(D(2022, 7, 12), FOIA)
    assert due_date(D(2022, 6, 29), FOIA) == D(2022, 7, 28)


def test_foisa_ignores_the_northern_irish_holiday():
    assert is_working_day(D(2022, 7, 12), FOISA)
    assert due_date(D(2022, 6, 29), FOISA) == D(2022, 7, 27)


def test_easter_foia_skips_good_friday_easter_monday_and_early_may():
    # Thu 30 Mar 2023: 31 Mar (1), 3-6 Apr (5), Good Friday 7 and Easter Monday 10 skipped,
    # 11-14 (9), 17-21 (14), 24-28 (19), 1 May bank holiday skipped, 2 May (20).
    assert due_date(D(2023, 3, 30), FOIA) == D(2023, 5, 2)


def test_easter_foisa_counts_easter_monday_which_is_no_scottish_bank_holiday():
    # Easter Monday 10 Apr 2023 is a working day in Scotland: 31 Mar, 3-6, 10-14, 17-21, 24-28 = 20.
    assert is_working_day(D(2023, 4, 10), FOISA)
    assert not is_working_day(D(2023, 4, 7), FOISA)  # Good Friday is a Scottish bank holiday
    assert due_date(D(2023, 3, 30), FOISA) == D(2023, 4, 28)


def test_christmas_and_new_year_2022():
    # Mon 12 Dec 2022: 13-16 (4), 19-23 (9), 26 Boxing Day and 27 (Christmas Day substitute) skipped,
    # 28-30 (12), 2 Jan (New Year substitute) and 3 Jan (Scotland's 2 January substitute) skipped,
    # 4-6 (15), 9-13 (20).
    assert not is_working_day(D(2023, 1, 3), FOIA)
    assert due_date(D(2022, 12, 12), FOIA) == D(2023, 1, 13)
    assert due_date(D(2022, 12, 12), FOISA) == D(2023, 1, 13)


def test_christmas_day_is_never_a_working_day_even_on_a_weekday():
    assert not is_working_day(D(2024, 12, 25), FOIA)
    assert not is_working_day(D(2024, 12, 25), FOISA)


def test_state_funeral_of_19_september_2022():
    # Fri 2 Sep 2022: 5-9 (5), 12-16 (10), 19 skipped, 20-23 (14), 26-30 (19), 3 Oct (20).
    assert not is_working_day(D(2022, 9, 19), FOIA)
    assert not is_working_day(D(2022, 9, 19), FOISA)
    assert due_date(D(2022, 9, 2), FOIA) == D(2022, 10, 3)


def test_scottish_bank_holidays_stop_the_clock_for_a_force_in_england():
    # Mon 14 Nov 2022: 15-18 (4), 21-25 (9), 28-29 (11), St Andrew's Day 30 Nov skipped,
    # 1-2 Dec (13), 5-9 (18), 12-13 (20).
    assert due_date(D(2022, 11, 14), FOIA) == D(2022, 12, 13)
    # Scotland's summer bank holiday (first Monday of August) counts too, England's is the last.
    assert not is_working_day(D(2022, 8, 1), FOIA)
    assert not is_working_day(D(2022, 8, 29), FOIA)
    assert is_working_day(D(2022, 8, 29), FOISA)


def test_request_received_on_a_weekend_counts_from_the_next_working_day():
    # Fri 24, Sat 25 and Sun 26 June 2022 all make Mon 27 June day one:
    # 27 Jun-1 Jul (5), 4-8 (10), 11 (11), 12 skipped, 13-15 (14), 18-22 (19), 25 Jul (20).
    assert due_date(D(2022, 6, 24), FOIA) == D(2022, 7, 25)
    assert due_date(D(2022, 6, 25), FOIA) == D(2022, 7, 25)
    assert due_date(D(2022, 6, 26), FOIA) == D(2022, 7, 25)


def test_clarification_restarts_the_clock():
    # Clarified Mon 4 Jul 2022: 5-8 (4), 11 (5), 12 skipped, 13-15 (8), 18-22 (13), 25-29 (18),
    # 1 Aug (Scottish summer holiday) skipped, 2-3 Aug (20).
    assert due_date(D(2022, 6, 29), FOIA, clarification_received=D(2022, 7, 4)) == D(2022, 8, 3)


def test_public_interest_extension_moves_foia_deadline_but_not_foisa():
    assert due_date(D(2022, 6, 29), FOIA, extended_to=D(2022, 8, 25)) == D(2022, 8, 25)
    assert due_date(D(2022, 6, 29), FOIA, extended_to=D(2022, 7, 1)) == D(2022, 7, 28)
    assert due_date(D(2022, 6, 29), FOISA, extended_to=D(2022, 8, 25)) == D(2022, 7, 27)


def test_unknown_receipt_has_no_due_date():
    assert due_date(None, FOIA) is None


def test_working_days_taken_by_lancashire():
    # Due 28 Jul (20). Then 29 Jul (21), 1 Aug skipped, 2-5 (25), 8-26 Aug (40), 29 Aug skipped,
    # 30 Aug-2 Sep (44), 5-16 Sep (54), 19 skipped, 20-23 (58), 26-30 (63), 3-6 Oct (67).
    assert working_days_between(D(2022, 6, 29), D(2022, 10, 6), FOIA) == 67
    assert working_days_between(D(2022, 6, 29), D(2022, 7, 28), FOIA) == 20
    assert working_days_between(D(2022, 6, 29), D(2022, 6, 29), FOIA) == 0


def test_add_working_days_refuses_a_negative_count():
    with pytest.raises(ValueError):
        add_working_days(D(2022, 1, 1), -1)


@pytest.mark.parametrize(
    ("due", "responded", "awaiting", "expected"),
    [
        (D(2022, 7, 28), D(2022, 7, 28), False, DeadlineStatus.ON_TIME),
        (D(2022, 7, 28), D(2022, 7, 29), False, DeadlineStatus.LATE),
        (D(2022, 7, 28), None, True, DeadlineStatus.OVERDUE),
        (D(2022, 8, 28), None, True, DeadlineStatus.PENDING),
        (D(2022, 7, 28), None, False, DeadlineStatus.UNKNOWN),
        (None, D(2022, 7, 28), False, DeadlineStatus.UNKNOWN),
    ],
)
def test_deadline_status(due, responded, awaiting, expected):
    assert deadline_status(due, responded, awaiting, today=D(2022, 8, 1)) == expected


# The model keeps its stored due date in step, by the authority's Act.


@pytest.mark.django_db
def test_saving_a_request_stores_its_due_date_and_working_days_taken():
    foi_request = FoiRequestFactory(date_received=D(2022, 6, 29), date_responded=D(2022, 10, 6))
    foi_request.refresh_from_db()
    assert foi_request.due_date == D(2022, 7, 28)
    assert foi_request.working_days_taken == 67
    assert foi_request.deadline_status() == DeadlineStatus.LATE

    foi_request.clarification_requested = D(2022, 6, 30)
    foi_request.clarification_received = D(2022, 7, 4)
    foi_request.save(update_fields=["clarification_requested", "clarification_received"])
    foi_request.refresh_from_db()
    assert foi_request.due_date == D(2022, 8, 3)


@pytest.mark.django_db
def test_police_scotland_requests_follow_foisa():
    scotland = ForceFactory(slug="police-scotland", name="Police Scotland", nation=Nation.SCOTLAND)
    foi_request = FoiRequestFactory(force=scotland, date_received=D(2022, 6, 29))
    assert foi_request.due_date == D(2022, 7, 27)


@pytest.mark.django_db
def test_foisa_request_cannot_record_a_public_interest_extension():
    from django.core.exceptions import ValidationError

    scotland = ForceFactory(slug="police-scotland", name="Police Scotland", nation=Nation.SCOTLAND)
    foi_request = FoiRequestFactory.build(force=scotland, date_received=D(2022, 6, 29), extended_due_date=D(2022, 9, 1))
    with pytest.raises(ValidationError) as error:
        foi_request.full_clean()
    assert "extended_due_date" in error.value.message_dict


@pytest.mark.django_db
def test_overdue_and_answered_late_filters(time_machine_today):
    overdue = FoiRequestFactory(date_received=D(2022, 6, 29), outcome=FoiOutcome.AWAITING_RESPONSE)
    FoiRequestFactory(date_received=D(2022, 7, 20), outcome=FoiOutcome.AWAITING_RESPONSE)  # due 17 Aug
    late = FoiRequestFactory(date_received=D(2022, 6, 29), date_responded=D(2022, 10, 6))
    on_time = FoiRequestFactory(date_received=D(2022, 6, 29), date_responded=D(2022, 7, 28))
    unknown = FoiRequestFactory(date_received=None, outcome=FoiOutcome.AWAITING_RESPONSE)
    queryset = FoiRequest.objects.all()

    assert list(FoiRequestFilter({"overdue": "true"}, queryset=queryset).qs) == [overdue]
    assert overdue not in FoiRequestFilter({"overdue": "false"}, queryset=queryset).qs
    assert unknown in FoiRequestFilter({"overdue": "false"}, queryset=queryset).qs
    assert list(FoiRequestFilter({"answered_late": "true"}, queryset=queryset).qs) == [late]
    assert on_time in FoiRequestFilter({"answered_late": "false"}, queryset=queryset).qs


@pytest.fixture
def time_machine_today(monkeypatch):
    """Pins 'today' to 1 August 2022 for the overdue filter."""
    monkeypatch.setattr("foi_requests.filters.timezone.localdate", lambda: D(2022, 8, 1))


@pytest.mark.django_db
def test_request_page_shows_due_date_lateness_and_working_days(client, seed_data):
    response = client.get("/foi-requests/lancashire-dpo-foi-002128-22/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "28 July 2022" in page
    assert "Answered late" in page
    assert "answered in 67 working days" in page


@pytest.mark.django_db
def test_request_page_shows_internal_review_and_ico_notice(client):
    foi_request = FoiRequestFactory(
        date_received=D(2022, 6, 29),
        date_responded=D(2022, 7, 20),
        internal_review_requested=D(2022, 7, 25),
        internal_review_completed=D(2022, 8, 22),
        internal_review_outcome="upheld",
        ico_decision_notice="IC-123456-A1B2",
    )
    page = client.get(foi_request.get_absolute_url()).content.decode()
    assert "Answered on time" in page
    assert "Completed on 22 August 2022: Original answer upheld." in page
    assert "IC-123456-A1B2" in page


@pytest.mark.django_db
def test_refresh_command_recomputes_stale_deadlines():
    import io

    from django.core.management import call_command

    foi_request = FoiRequestFactory(date_received=D(2022, 6, 29), date_responded=D(2022, 10, 6))
    FoiRequest.objects.filter(pk=foi_request.pk).update(date_received=D(2022, 7, 4))  # bypasses save()
    out = io.StringIO()
    call_command("refresh_foi_deadlines", stdout=out)
    assert out.getvalue().strip() == "Updated the deadlines of 1 FOI request(s)."
    foi_request.refresh_from_db()
    assert foi_request.due_date == D(2022, 8, 3)
