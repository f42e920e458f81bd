"""Seed the holiday calendar from the chinese-calendar package, for every year it covers."""

from django.db import migrations


def seed(apps, schema_editor):
    from xinfang.deadlines.services import package_years

    import chinese_calendar

    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    source = f"chinese-calendar {getattr(chinese_calendar, '__version__', '')}".strip()
    for year, entries in sorted(package_years().items()):
        if CalendarYear.objects.filter(year=year).exists():
            continue
        calendar_year = CalendarYear.objects.create(year=year, source=source)
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar_year=calendar_year, date=e.date, kind=e.kind, name=e.name)
            for e in entries
        )


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
