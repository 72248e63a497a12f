"""Read-only: procedures, juries, memberships and the rest change through the officer's pages and
the services (rules checked, audit entries written), never in the admin (docs/operations.md)."""

from django.contrib import admin

from interviewdesk.core.admin import ReadOnlyAdmin, ReadOnlyInline

from . import models


class DimensionInline(ReadOnlyInline):
    model = models.Dimension


@admin.register(models.Competency)
class CompetencyAdmin(ReadOnlyAdmin):
    list_display = ("code", "dictionary")
    list_filter = ("dictionary",)
    inlines = [DimensionInline]


class IndicatorInline(ReadOnlyInline):
    model = models.BehaviouralIndicator


@admin.register(models.Dimension)
class DimensionAdmin(ReadOnlyAdmin):
    inlines = [IndicatorInline]


class ProfileInline(ReadOnlyInline):
    model = models.ProfileCompetency


class MembershipInline(ReadOnlyInline):
    model = models.Membership


@admin.register(models.Procedure)
class ProcedureAdmin(ReadOnlyAdmin):
    list_display = ("reference", "title", "language", "status")
    list_filter = ("status", "language")
    search_fields = ("reference", "title")
    inlines = [ProfileInline, MembershipInline]


class JuryMemberInline(ReadOnlyInline):
    model = models.JuryMember


@admin.register(models.Jury)
class JuryAdmin(ReadOnlyAdmin):
    list_display = ("name", "procedure")
    inlines = [JuryMemberInline]


class LevelInline(ReadOnlyInline):
    model = models.ScaleLevel


@admin.register(models.RatingScale)
class RatingScaleAdmin(ReadOnlyAdmin):
    inlines = [LevelInline]


admin.site.register(models.CompetencyDictionary, ReadOnlyAdmin)
admin.site.register(models.Room, ReadOnlyAdmin)
