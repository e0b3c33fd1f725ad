"""The plain first sentence of a summary."""

from __future__ import annotations

import pytest

from shinchoku.domain.plain import count_of_systems, plain_sentence


@pytest.mark.parametrize(
    ("late", "rate", "systems", "sentence"),
    [
        (0, 0.4, 20, "予定どおり進んでいます。"),
        (2, 0.4, 20, "2つのシステムが遅れています。"),
        (12, 0.4, 20, "12のシステムが遅れています。"),
        (1234, 0.4, 9999, "1,234のシステムが遅れています。"),
        (None, 0.83, 20, "移行の作業はおよそ8割終わっています。"),
        (None, 1.0, 20, "移行の作業はすべて終わっています。"),
        (None, 0.05, 20, "移行の作業は始まったばかりです。"),
        (None, None, 20, "進み具合の数値はまだありません。"),
        (None, None, 0, "まだ報告がありません。"),
    ],
)
def test_plain_sentence_says_the_state_in_everyday_words(late, rate, systems, sentence):
    assert plain_sentence(late_systems=late, completion_rate=rate, systems=systems) == sentence


def test_counts_use_tsu_up_to_nine():
    assert count_of_systems(9) == "9つのシステム"
    assert count_of_systems(10) == "10のシステム"
