"""Spec: every generated or fitted C table is reproduced by its script in tools/.

The generator of n1_gauss_table.c needs nothing but Python; the two fits need the dev
split's recordings (their even half) and are skipped without them.
"""
from __future__ import annotations

import sys

import numpy as np
import pytest

from conftest import DEV_DATA, REPO_ROOT, needs_dev_data

if not (REPO_ROOT / "tools" / "ctables.py").is_file():  # e.g. the tests copied beside an installed wheel
    pytest.skip("the source tree's tools/ folder is not here", allow_module_level=True)
sys.path.insert(0, str(REPO_ROOT / "tools"))

import ctables  # noqa: E402
import fit_dnl_table  # noqa: E402
import fit_fast_table  # noqa: E402
import fit_realtime_gain  # noqa: E402
import gen_gauss_table  # noqa: E402


def test_gauss_table_file_is_exactly_the_generator_output():
    assert gen_gauss_table.TARGET.read_text() == gen_gauss_table.render()


def test_gauss_tables_keep_their_contracts():
    phi = gen_gauss_table.phi_table()
    assert phi[0] == 0 and phi[-1] == 1 << 30 and phi[512] == 1 << 29
    assert all(a <= b for a, b in zip(phi, phi[1:]))
    inv = gen_gauss_table.invphi_table(phi)
    for j in (1, 100, 512, 1023):
        z = inv[j]
        assert gen_gauss_table.n1_phi(phi, z) >= j << 20 > gen_gauss_table.n1_phi(phi, z - 1)


@needs_dev_data
def test_dnl_table_file_is_exactly_the_fit_on_the_even_half():
    fitted = fit_dnl_table.fit_from_data(DEV_DATA)
    committed = ctables.read_c_array(fit_dnl_table.TARGET, "n1_dnl10")
    assert fitted.tolist() == committed
    assert fit_dnl_table.TARGET.read_text() == fit_dnl_table.render(fitted)


@needs_dev_data
def test_fast_phase_table_is_exactly_the_fit_on_the_even_half():
    fitted = fit_fast_table.fit_from_data(DEV_DATA)
    committed = ctables.read_c_array(fit_fast_table.find_definition(), fit_fast_table.NAME)
    assert fitted.tolist() == committed


def test_fast_cost_table_is_its_formula():
    source = fit_fast_table.find_definition()
    assert ctables.read_c_array(source, "log2_frac") == fit_fast_table.log2_frac_table()


def _planted_histogram(step_widths, files=1, spread=120.0):
    """Counts of a smooth bell over 1024 codes, each code's share scaled by its width."""
    codes = np.arange(1024)
    bell = 2e6 * np.exp(-0.5 * ((codes - 512) / spread) ** 2)
    return np.tile(np.round(bell * step_widths / 256.0).astype(np.int64), (files, 1))


def test_fast_fit_recovers_a_planted_phase_pattern():
    pattern = 256 + 64 * np.sin(np.arange(32) * 2 * np.pi / 32 * 3)
    fitted = fit_fast_table.fit_phase_widths(_planted_histogram(np.tile(pattern, 32))[0])
    assert np.abs(fitted - pattern).max() <= 3


def test_dnl_fit_recovers_planted_widths_and_keeps_sparse_codes_nominal():
    widths = 256 + 80 * ((np.arange(1024) % 4) == 0) - 80 * ((np.arange(1024) % 4) == 2)
    fitted = fit_dnl_table.fit_widths(_planted_histogram(widths, files=3, spread=60.0))
    middle = slice(400, 624)
    assert np.abs(fitted[middle] - widths[middle]).max() <= 6  # 2%: the nominal edges shift the mean
    assert (np.abs(fitted[:200] - 256) <= 2).all()  # no counts there: nominal width


@needs_dev_data
def test_realtime_gain_prior_is_the_fit_on_the_even_half():
    gain, median_abs = fit_realtime_gain.fit_from_data()
    assert gain == fit_realtime_gain.committed_gain() == 923
    assert 4.0 < median_abs < 5.5  # RT_MAG_INIT's 4.5 codes is near it
