"""Accuracy on a small generated test-split corpus (the full run is ``python -m bench.ocr``)."""

from __future__ import annotations

from tests.corpus.evaluate import evaluate


def test_small_test_split_meets_the_acceptance_shape(small_corpus):
    folder, manifest = small_corpus
    report = evaluate(folder, manifest, processes=2)
    cats = report["categories"]
    misses = report["misses"]
    assert cats["born_digital"]["field_accuracy"] == 1.0, misses
    assert cats["born_digital"]["type_accuracy"] == 1.0
    assert cats["clean_scan"]["type_accuracy"] == 1.0, misses
    assert cats["clean_scan"]["field_accuracy"] >= 0.9, misses
    # Degraded photos: a wrong KTP/NPWP/NIB value is never reported as confident.
    assert cats["degraded_photo"]["binding_wrong_confident"] == 0, misses
