"""Planning's URLs: the instruments of the plan (plan_urls) and money, report and evaluation (budget_urls)."""

from planning.budget_urls import urlpatterns as budget_urlpatterns
from planning.plan_urls import urlpatterns as plan_urlpatterns

app_name = "planning"

urlpatterns = plan_urlpatterns + budget_urlpatterns
