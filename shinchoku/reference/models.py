"""Reference data: 団体, the 20 businesses, the 40 national steps, the 26 procedures."""

from __future__ import annotations

from typing import Any

from django.db import models

from shinchoku.domain.kinds import KINDS, PREFECTURE

KIND_CHOICES = [(k, k) for k in KINDS]


def listed(name: str, ordering: list[str], **options: Any) -> type:
    """A model's Meta: the model called `name` (one form for one and many in Japanese), its rows listed in
    `ordering`; other Meta options as keywords."""
    return type("Meta", (), {"verbose_name": name, "verbose_name_plural": name, "ordering": ordering, **options})


class Organization(models.Model):
    """A 団体 (都道府県 or 市区町村), keyed by its 6-digit 全国地方公共団体コード."""

    code = models.CharField("全国地方公共団体コード", max_length=6, primary_key=True)
    prefecture_code = models.CharField("都道府県コード", max_length=2, db_index=True)
    prefecture_name = models.CharField("都道府県名", max_length=8)
    name = models.CharField("市区町村名", max_length=32, blank=True)
    prefecture_kana = models.CharField("都道府県名（カナ）", max_length=32, blank=True)
    kana = models.CharField("市区町村名（カナ）", max_length=64, blank=True)
    kind = models.CharField("団体区分", max_length=8, choices=KIND_CHOICES, db_index=True)
    is_practice = models.BooleanField("体験モード用", default=False)

    Meta = listed("団体", ["code"])

    def __str__(self) -> str:
        return self.display_name

    @property
    def is_prefecture(self) -> bool:
        return self.kind == PREFECTURE

    @property
    def display_name(self) -> str:
        """「宮城県 石巻市」 or 「宮城県」."""
        return f"{self.prefecture_name} {self.name}" if self.name else self.prefecture_name

    @property
    def short_name(self) -> str:
        return self.name or self.prefecture_name


class Business(models.Model):
    """One of the 20 standardised core businesses (基幹業務)."""

    number = models.PositiveSmallIntegerField("業務番号", primary_key=True)
    name = models.CharField("業務名", max_length=32, unique=True)
    aliases = models.CharField("別名（;区切り）", max_length=128, blank=True)
    ministry = models.CharField("所管府省", max_length=32, blank=True)
    field = models.CharField("分野", max_length=16, blank=True)
    prefecture_also = models.BooleanField("都道府県も対象", default=False)

    Meta = listed("業務", ["number"])

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [a for a in self.aliases.split(";") if a]


class NationalStep(models.Model):
    """One of the 40 national work steps with its national deadline."""

    number = models.PositiveSmallIntegerField("ステップ番号", primary_key=True)
    item_number = models.CharField("作業項目番号", max_length=8)
    name = models.CharField("作業ステップ名", max_length=128)
    item = models.CharField("作業項目", max_length=4)
    phase = models.CharField("フェーズ", max_length=16)
    deadline = models.DateField("国の完了期限")
    deadline_label = models.CharField("国の完了期限（表記）", max_length=16)

    Meta = listed("作業ステップ（国）", ["number"])

    def __str__(self) -> str:
        return f"{self.item_number} {self.name}"


class Procedure(models.Model):
    """One of the 26 子育て・介護 procedures tracked for online availability."""

    number = models.PositiveSmallIntegerField("手続番号", primary_key=True)
    field = models.CharField("分野", max_length=8)
    name = models.CharField("手続名", max_length=128)
    certainty = models.CharField("表記の確度", max_length=16, blank=True)

    Meta = listed("手続（子育て・介護26手続）", ["number"])

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"
