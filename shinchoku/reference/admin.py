from django.contrib import admin

from .models import Business, NationalStep, Organization, Procedure


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("code", "prefecture_name", "name", "kind")
    list_filter = ("kind", "prefecture_name")
    search_fields = ("code", "name", "kana", "prefecture_name")


@admin.register(Business)
class BusinessAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "aliases", "ministry", "prefecture_also")


@admin.register(NationalStep)
class NationalStepAdmin(admin.ModelAdmin):
    list_display = ("number", "item_number", "name", "phase", "deadline_label")
    list_filter = ("phase",)


@admin.register(Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("number", "field", "name", "certainty")
