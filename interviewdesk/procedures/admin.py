from django.contrib import admin

from . import models


class DimensionInline(admin.TabularInline):
    model = models.Dimension
    extra = 0


@admin.register(models.Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "dictionary")
    list_filter = ("dictionary",)
    inlines = [DimensionInline]


@admin.register(models.Dimension)
class DimensionAdmin(admin.ModelAdmin):
    inlines = [type("IndicatorInline", (admin.TabularInline,), {"model": models.BehaviouralIndicator, "extra": 0})]


class ProfileInline(admin.TabularInline):
    model = models.ProfileCompetency
    extra = 0


class MembershipInline(admin.TabularInline):
    model = models.Membership
    extra = 0


@admin.register(models.Procedure)
class ProcedureAdmin(admin.ModelAdmin):
    list_display = ("reference", "title", "language", "status")
    list_filter = ("status", "language")
    search_fields = ("reference", "title")
    inlines = [ProfileInline, MembershipInline]


class JuryMemberInline(admin.TabularInline):
    model = models.JuryMember
    extra = 0


@admin.register(models.Jury)
class JuryAdmin(admin.ModelAdmin):
    list_display = ("name", "procedure")
    inlines = [JuryMemberInline]


class LevelInline(admin.TabularInline):
    model = models.ScaleLevel
    extra = 0


@admin.register(models.RatingScale)
class RatingScaleAdmin(admin.ModelAdmin):
    inlines = [LevelInline]


admin.site.register(models.CompetencyDictionary)
admin.site.register(models.Room)
