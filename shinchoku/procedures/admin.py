from django.contrib import admin

from .models import ProcedureMonth


@admin.register(ProcedureMonth)
class ProcedureMonthAdmin(admin.ModelAdmin):
    list_display = ("as_of", "published", "sample_data", "published_at", "published_by")
    list_filter = ("published", "sample_data")
    readonly_fields = ("published_at", "published_by")
