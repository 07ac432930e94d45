"""A month in a URL that is not a month (2026/13, 2026/0, a year without neighbours) is a 404
on every page that takes one (it was a 500 on the CSV and "fill" pages); real months answer."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

PAGES = ["{}/", "{}/export.csv", "{}/fill/"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("month", ["2026/13", "2026/0", "2026/00", "0000/6", "0001/1", "9999/12"])
def test_it_answers_404_for_a_month_that_does_not_exist(client, team, page, month):
    client.force_login(team.coordinator.user)
    url = f"/rotas/{team.network.pk}/" + page.format(month)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("month", ["2026/6", "2026/06", "2026/12", "2027/1"])
def test_it_answers_for_a_real_month(client, team, page, month):
    client.force_login(team.coordinator.user)
    url = f"/rotas/{team.network.pk}/" + page.format(month)
    assert client.get(url).status_code == 200


def test_the_month_page_links_the_months_either_side(client, team):
    client.force_login(team.coordinator.user)
    page = client.get(f"/rotas/{team.network.pk}/2026/1/").text
    assert f'href="/rotas/{team.network.pk}/2025/12/"' in page
    assert f'href="/rotas/{team.network.pk}/2026/2/"' in page
    assert f'href="/rotas/{team.network.pk}/2026/1/export.csv"' in page
    assert f'href="/rotas/{team.network.pk}/2026/1/fill/"' in page


def test_it_reverses_a_month_from_its_first_day():
    assert reverse("rotas:month", args=[7, date(2026, 6, 1)]) == "/rotas/7/2026/6/"
    assert reverse("rotas:export", args=[7, date(987, 12, 1)]) == "/rotas/7/0987/12/export.csv"
