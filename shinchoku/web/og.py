"""The Open Graph / Twitter card image of a page: its main figure drawn as a 1200×630 PNG with Pillow.

Japanese text needs a CJK font: SHINCHOKU_OG_FONT, or Noto Sans CJK where Debian's fonts-noto-cjk put it (the
Makefile's `browser` step installs it). Without one the card still shows the figure, the month and the site in
Latin letters, so a missing font never breaks a page.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1200, 630
ACCENT = (11, 87, 164)
FG = (26, 26, 26)
WARN_BG, WARN_FG = (255, 244, 206), (61, 46, 0)
FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/noto/NotoSansCJK-Bold.ttc",
)

Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


@lru_cache(maxsize=1)
def cjk_font_path() -> str | None:
    for path in (os.environ.get("SHINCHOKU_OG_FONT", ""), *FONT_PATHS):
        if path and Path(path).is_file():
            return path
    return None


@lru_cache(maxsize=16)
def _font(size: int) -> tuple[Font, bool]:
    """A font of the size and whether it can draw Japanese."""
    path = cjk_font_path()
    if path:
        return ImageFont.truetype(path, size), True
    return ImageFont.load_default(size=size), False


def _fit(draw: ImageDraw.ImageDraw, text: str, size: int, width: int) -> tuple[Font, bool]:
    while size > 20:
        font, cjk = _font(size)
        if draw.textlength(text, font=font) <= width:
            return font, cjk
        size -= 4
    return _font(size)


def draw_card(
    *, title: str, latin_title: str, figure: str, label: str, month: str, sample: bool, source: str = ""
) -> bytes:
    """The PNG bytes of a card: the title (Japanese when a CJK font is there), the figure, its label and month."""
    image = Image.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 24), fill=ACCENT)
    margin = 64
    _, cjk = _font(40)
    heading = title if cjk else latin_title
    font, _ = _fit(draw, heading, 64, WIDTH - 2 * margin)
    draw.text((margin, 70), heading, font=font, fill=FG)
    big, _ = _font(200)
    draw.text((margin, 170), figure, font=big, fill=ACCENT)
    small, _ = _font(40)
    caption = f"{label}（{month}）" if cjk else month
    draw.text((margin, 420), caption, font=small, fill=FG)
    footer = "自治体DX 進捗ダッシュボード" if cjk else "shinchoku"
    draw.text((margin, HEIGHT - 90), footer, font=small, fill=FG)
    if sample or (source and cjk):
        text = ("架空のサンプルデータ" if cjk else "SAMPLE DATA (fictional)") if sample else source
        box = draw.textbbox((0, 0), text, font=small)
        w, h = box[2] - box[0], box[3] - box[1]
        x, y = WIDTH - margin - w - 24, HEIGHT - 110
        draw.rectangle((x, y, x + w + 24, y + h + 32), fill=WARN_BG, outline=WARN_FG, width=3)
        draw.text((x + 12, y + 10), text, font=small, fill=WARN_FG)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
