from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from tillit.organisation.models import ClosedDay, Membership, Municipality, Person, Unit


class MembershipInline(admin.TabularInline[Membership, Person]):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Person)
class PersonAdmin(UserAdmin[Person]):
    list_display = ["username", "first_name", "last_name", "title", "email", "is_active"]
    search_fields = ["username", "first_name", "last_name", "email"]
    inlines = [MembershipInline]
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Work"), {"fields": ("title", "phone", "work_fraction")}),
    )


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin[Municipality]):
    list_display = ["name", "code"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    list_display = ["name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]


@admin.register(ClosedDay)
class ClosedDayAdmin(admin.ModelAdmin[ClosedDay]):
    list_display = ["day", "reason", "municipality"]
