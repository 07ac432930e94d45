import pytest
import time_machine
from datetime import UTC, datetime
from calls.models import PhoneLine
from calls.figures.rollup import figures_rebuild
from tests.factories import make_ambassador, make_user
from tests.rotas.people import Team
from tests.calls.figures_world import Figures

@pytest.mark.django_db
def test_smoke(client, django_assert_max_num_queries):
    line = PhoneLine.objects.create(number="+33199000000", label="National")
    team = Team()
    w = Figures(line, make_ambassador("a@example.com"), team.advisor_a)
    figures_rebuild()
    staff = make_user("s@example.com", is_staff=True)
    client.force_login(staff)
    with time_machine.travel(datetime(2026, 6, 20, 10, tzinfo=UTC)):
        with django_assert_max_num_queries(12):
            r = client.get("/calls/figures/")
        assert r.status_code == 200, r.content[:3000]
        open("/tmp/dash.html","wb").write(r.content)
        r = client.get("/calls/figures/countries.csv?start=2026-06-01&end=2026-06-20")
        print(r.content.decode())
        client.force_login(team.coordinator.user)
        r = client.get("/calls/figures/")
        assert r.status_code == 200
