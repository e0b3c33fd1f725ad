"""Pages without data: the glossary and the accessibility statement."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from shinchoku.web.glossary import TERMS


def glossary(request: HttpRequest) -> HttpResponse:
    context = {
        "terms": TERMS,
        "page_summary": "このサイトで使う言葉を、やさしい日本語で説明します。",
    }
    return render(request, "web/glossary.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    context = {
        "page_summary": (
            "このサイトは、ウェブアクセシビリティの規格 WCAG 2.2 のレベル AA、JIS X 8341-3:2016 のレベル AA を"
            "目標にしています。文字の大きさ、色の見やすさ、読み上げを、ページ上部のボタンで変えられます。"
        ),
    }
    return render(request, "web/accessibility.html", context)
