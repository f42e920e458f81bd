from django.db import migrations, models
import django.db.models.deletion

SYSTEM_OF_KIND = {
    "court": "court",
    "procuratorate": "procuratorate",
    "discipline": "discipline",
    "peoples_congress": "congress",
}
LEVELS = ["province", "city", "county", "township", "village"]


def prefix(code):
    while code.endswith("00") and len(code) > 2:
        code = code[:-2]
    return code


def fill(apps, schema_editor):
    Organ = apps.get_model("org", "Organ")
    organs = list(Organ.objects.all())
    by_id = {o.pk: o for o in organs}
    for organ in organs:
        organ.system = SYSTEM_OF_KIND.get(organ.kind, "government")
    for organ in organs:
        if organ.system in ("government", "party"):
            organ.system_superior_id = organ.superior_id
            continue
        rank = LEVELS.index(organ.level)
        for level in reversed(LEVELS[:rank]):
            found = [o for o in organs if o.kind == organ.kind and o.level == level and o.pk != organ.pk
                     and organ.region_code.startswith(prefix(o.region_code))]
            if found:
                organ.system_superior_id = found[0].pk
                break

    def system_path(organ, seen=()):
        if organ.system_superior_id is None or organ.pk in seen:
            return f"/{organ.pk}/"
        return system_path(by_id[organ.system_superior_id], (*seen, organ.pk)) + f"{organ.pk}/"

    for organ in organs:
        organ.system_path = system_path(organ)
        Organ.objects.filter(pk=organ.pk).update(
            system=organ.system, system_superior_id=organ.system_superior_id, system_path=organ.system_path
        )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="organ",
            name="system",
            field=models.CharField(
                blank=True,
                choices=[("party", "党委"), ("congress", "人大"), ("government", "政府"), ("cppcc", "政协"),
                         ("discipline", "纪检监察"), ("court", "法院"), ("procuratorate", "检察院")],
                max_length=15,
                verbose_name="所属系统",
            ),
        ),
        migrations.AddField(
            model_name="organ",
            name="system_superior",
            field=models.ForeignKey(
                blank=True,
                help_text="复查、复核机关：本系统的上一级机关（《信访工作条例》第三十五条、第三十六条）。留空则自动确定。",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="system_subordinates",
                to="org.organ",
                verbose_name="本系统上一级机关",
            ),
        ),
        migrations.AddField(
            model_name="organ",
            name="system_path",
            field=models.CharField(db_index=True, default="", editable=False, max_length=255),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
