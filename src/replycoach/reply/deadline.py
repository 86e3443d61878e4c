"""Promised deadlines in business time, written the way a person writes them.

"Within one business day" from Friday 16:30 is Monday 16:30, unless Monday is a
public holiday in the agent's country. Holidays come from the ``holidays`` package;
the dates for a country and year are cached because importing it is slow.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

from replycoach.foundation.errors import UsageError


class BusinessCalendar:
    def __init__(
        self,
        *,
        tz: tzinfo,
        country: str | None = None,
        subdivision: str | None = None,
        start: time = time(9, 0),
        end: time = time(17, 0),
        weekend: frozenset[int] = frozenset({5, 6}),
    ) -> None:
        self.tz = tz
        self.country = country
        self.subdivision = subdivision
        self.start = start
        self.end = end
        self.weekend = weekend
        self._holidays: dict[int, set[str]] = {}

    def is_business_day(self, day: date) -> bool:
        if day.weekday() in self.weekend:
            return False
        if not self.country:
            return True
        year = self._holidays.get(day.year)
        if year is None:
            year = self._holidays[day.year] = set(holiday_dates(self.country, self.subdivision, day.year))
        return day.isoformat() not in year

    def next_open(self, moment: datetime) -> datetime:
        """The first business moment at or after ``moment``."""
        day = moment.date()
        if self.is_business_day(day) and moment.time() < self.end:
            if moment.time() >= self.start:
                return moment
            return datetime.combine(day, self.start, moment.tzinfo)
        day += timedelta(days=1)
        while not self.is_business_day(day):
            day += timedelta(days=1)
        return datetime.combine(day, self.start, moment.tzinfo)

    def add_hours(self, moment: datetime, hours: float) -> datetime:
        current = self.next_open(moment)
        remaining = timedelta(hours=hours)
        while True:
            close = datetime.combine(current.date(), self.end, current.tzinfo)
            if current + remaining <= close:
                return current + remaining
            remaining -= close - current
            current = self.next_open(close + timedelta(seconds=1))

    def add_days(self, moment: datetime, days: int, at: time | None) -> datetime:
        day = moment.date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_business_day(day):
                counted += 1
        if days == 0 and not self.is_business_day(day):
            day = self.next_open(moment).date()
        when = at or (moment.time() if self.start <= moment.time() <= self.end else self.end)
        return datetime.combine(day, when, moment.tzinfo)


def holiday_dates(country: str, subdivision: str | None, year: int) -> list[str]:
    from replycoach.foundation.resources import cached

    def build() -> list[str]:
        try:
            import holidays
        except ImportError:  # pragma: no cover - a declared dependency
            return []
        try:
            found = holidays.country_holidays(country, subdiv=subdivision, years=[year])
        except (NotImplementedError, KeyError):
            raise UsageError(f"unknown holiday country {country!r}", field="country") from None
        return sorted(d.isoformat() for d in found)

    dates: list[str] = cached(f"holidays-{country}-{subdivision or ''}-{year}", [], build)
    return dates


def resolve_timezone(name: str | None) -> tzinfo | None:
    if not name:
        return None
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"unknown time zone {name!r}", field="timezone") from None


def parse_now(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"not an ISO date-time: {value!r}", field="--now") from None


def _parse_hours(value: str) -> tuple[time, time]:
    try:
        a, b = value.split("-")
        return time(int(a.split(":")[0]), int(a.split(":")[1]) if ":" in a else 0), time(
            int(b.split(":")[0]), int(b.split(":")[1]) if ":" in b else 0
        )
    except (ValueError, IndexError):
        raise UsageError(f"business hours must look like 9-17 or 08:30-16:30, not {value!r}", field="hours") from None


def calendar_from_settings(settings: dict[str, Any], now: datetime) -> BusinessCalendar:
    """Settings from answers or ``--set`` win over environment variables, which win over
    the config file (foundation/config.py)."""
    return _calendar(*_calendar_settings(settings), now)


def _calendar_settings(settings: dict[str, Any]) -> tuple[str, str | None, str]:
    from replycoach.foundation.config import setting

    tz_name = setting("timezone", settings)
    country = setting("country", settings) or None
    hours = setting("hours", settings) or "9-17"
    return tz_name, country, hours


def _calendar(tz_name: str, country: str | None, hours: str, now: datetime) -> BusinessCalendar:
    tz = resolve_timezone(tz_name)
    if tz is None:
        tz = now.tzinfo or datetime.now().astimezone().tzinfo
    start, end = _parse_hours(hours)
    assert tz is not None
    return BusinessCalendar(tz=tz, country=country.upper() if country else None, start=start, end=end)


def promise_due(spec: dict[str, Any], clock: datetime, settings: dict[str, Any]) -> tuple[datetime, str]:
    """The deadline ``spec`` promises from ``clock`` in the agent's business calendar, and
    its ``human`` wording in the calendar's zone."""
    calendar = calendar_from_settings(settings, clock)
    due = compute(spec, clock, calendar)
    return due, human(due, clock.astimezone(calendar.tz) if clock.tzinfo else clock)


def sized(
    spec: dict[str, Any],
    policy: dict[str, Any] | None,
    analysis: dict[str, Any],
    body: str,
    clock: datetime,
    settings: dict[str, Any],
) -> dict[str, Any]:
    """The promise's deadline spec: ``spec`` (the option's or the playbook's), or the
    playbook's ``urgent`` one when one of its ``when`` reasons holds and it falls sooner.

    The policy is data: which reasons count, and how soon, is the playbook's to say
    ("payments down at a shop needs hours, not tomorrow 10 am")."""
    urgent = (policy or {}).get("urgent")
    if not urgent:
        return spec
    faster = {k: v for k, v in urgent.items() if k != "when"}
    due = promise_due(spec, clock, settings)[0]
    sooner = promise_due(faster, clock, settings)[0]
    if sooner >= due:
        return spec
    if any(_holds(reason, analysis, body, due, sooner, clock) for reason in urgent["when"]):
        return faster
    return spec


def _holds(reason: str, analysis: dict[str, Any], body: str, due: datetime, sooner: datetime, clock: datetime) -> bool:
    if reason == "high-urgency":
        return (analysis.get("urgency") or {}).get("level") == "high"
    if reason == "risk":
        return bool(analysis.get("risks"))
    if reason == "stopped":
        from replycoach.reading.listening import cannot_wait

        return cannot_wait(body)
    # customer-date: the regular promise misses the customer's own day, and the sooner one
    # makes it or their day is already here ("rent due today": every hour counts). A later
    # day neither can make is said honestly (listen.j2), not rushed for nothing.
    wanted, today = customer_date(analysis), _today(clock, due)
    if wanted is None or meets(due, wanted, today):
        return False
    return wanted <= today or meets(sooner, wanted, today)


def customer_date(analysis: dict[str, Any]) -> date | None:
    found = analysis.get("customer_deadline")
    if not isinstance(found, dict) or not found.get("date"):
        return None
    try:
        return date.fromisoformat(str(found["date"]))
    except ValueError:
        return None


def meets(due: datetime, wanted: date | None, today: date) -> bool:
    """Whether the promise lands before the customer's own day (on the day counts as late:
    a parcel dispatched on the day of the party is no use), or on it when that day is today."""
    if wanted is None:
        return True
    if wanted <= today:
        return due.date() <= today
    return due.date() < wanted


def _today(clock: datetime, due: datetime) -> date:
    return (clock.astimezone(due.tzinfo) if clock.tzinfo and due.tzinfo else clock).date()


def customer_promise(analysis: dict[str, Any], due: datetime, clock: datetime, lang: str) -> dict[str, Any] | None:
    """What ``listen.j2``'s ``customer_deadline`` says of the customer's own day: whether the
    promise makes it, the day and the promise's day as the reply's language names them
    (``weekday`` 0-6 for the languages whose sentence inflects it), and the occasion."""
    wanted = customer_date(analysis)
    if wanted is None:
        return None
    found = analysis["customer_deadline"]
    today = _today(clock, due)
    return {
        "text": str(found.get("text", "")),
        "event": str(found.get("event", "")),
        "met": meets(due, wanted, today),
        "today": wanted <= today,
        "tomorrow": wanted == today + timedelta(days=1),
        "day": weekday_name(wanted, lang),
        "weekday": wanted.weekday(),
        # The promise falls on their day itself: too late, and the soonest there is.
        "on_the_day": due.date() == wanted > today,
        "due_today": due.date() <= today,
        "due_tomorrow": due.date() == today + timedelta(days=1),
        "due_day": weekday_name(due.date(), lang),
        "due_weekday": due.weekday(),
    }


def weekday_name(day: date, lang: str) -> str:
    """'Sunday', 'Sonntag', 'sunnuntaina': the weekday as the language writes it in a
    sentence (CLDR's format form); English without loading Babel."""
    if lang == "en":
        return _DAYS[day.weekday()]
    from babel.dates import format_date

    return str(format_date(day, "EEEE", locale=lang))


def compute(spec: dict[str, Any], now: datetime, calendar: BusinessCalendar) -> datetime:
    """The deadline for a playbook's ``deadline:`` spec, rounded up to a whole hour."""
    local = now.astimezone(calendar.tz) if now.tzinfo else now.replace(tzinfo=calendar.tz)
    at = None
    if "at" in spec:
        hh, mm = spec["at"].split(":")
        at = time(int(hh), int(mm))
    if "clock_hours" in spec:
        result = local + timedelta(hours=float(spec["clock_hours"]))
    elif "business_days" in spec:
        result = calendar.add_days(local, int(spec["business_days"]), at)
    else:
        result = calendar.add_hours(local, float(spec.get("business_hours", 8)))
    if spec.get("same_day") and result.date() > local.date() and _open_today(calendar, local):
        # "Hours, the same business day": late in the day the promise is today's close
        # (or an hour from now, when the close is nearer), not tomorrow morning.
        close = datetime.combine(local.date(), calendar.end, local.tzinfo)
        result = max(close, local + timedelta(hours=1))
    if result.minute or result.second or result.microsecond:
        result = result.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return result


def _open_today(calendar: BusinessCalendar, local: datetime) -> bool:
    return calendar.is_business_day(local.date()) and local.time() < calendar.end


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def human(moment: datetime, now: datetime | None = None) -> str:
    """'Tuesday, 24 November, 3 pm' — the year only when it is not this year."""
    hour = moment.hour % 12 or 12
    clock = (
        f"{hour} {'am' if moment.hour < 12 else 'pm'}"
        if not moment.minute
        else (f"{hour}:{moment.minute:02d} {'am' if moment.hour < 12 else 'pm'}")
    )
    if moment.hour == 12 and not moment.minute:
        clock = "noon"
    return f"{day_words(moment.date(), now.date() if now is not None else None)}, {clock}"


def day_words(day: date, today: date | None = None) -> str:
    """'Tuesday, 24 November' — the year only when it is not this year."""
    # Fixed English names: strftime would follow the agent's LC_TIME, not the reply.
    words = f"{_DAYS[day.weekday()]}, {day.day} {_MONTHS[day.month - 1]}"
    if today is not None and today.year != day.year:
        words += f" {day.year}"
    return words


def as_datetime(now: str | datetime | None) -> datetime | None:
    """``now`` as given to the API: None, a datetime, or text for ``parse_now``."""
    if now is None or isinstance(now, datetime):
        return now
    return parse_now(now)
