"""Pages of monitoring: dashboard, indicators and data entry, reports, the city report."""

from equiserve.monitoring.views.dashboard import dashboard_page, map_json, trend_json
from equiserve.monitoring.views.indicators import (
    entry_page,
    indicator_detail,
    indicator_list,
)
from equiserve.monitoring.views.reports import (
    city_export,
    city_print,
    city_report_page,
    report_detail,
    report_export,
    report_list,
    report_open,
    report_print,
    report_review,
)

__all__ = [
    "city_export",
    "city_print",
    "city_report_page",
    "dashboard_page",
    "entry_page",
    "indicator_detail",
    "indicator_list",
    "map_json",
    "report_detail",
    "report_export",
    "report_list",
    "report_open",
    "report_print",
    "report_review",
    "trend_json",
]
