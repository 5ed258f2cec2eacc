"""Access samples of period close and the Region report (see test_access.py): coordinators only."""

SAMPLES = {
    "governance.close_index": ("GET", lambda db: "/governance/close/", None),
    "governance.close_month": ("GET", lambda db: "/governance/close/2026-11", None),
    "governance.lock": ("POST", lambda db: "/governance/close/2026-11/lock", None),
    "governance.reopen": ("POST", lambda db: "/governance/close/2026-11/reopen", None),
    "governance.report_xlsx": ("GET", lambda db: "/governance/report/2026-11.xlsx", None),
    "governance.report_pdf": ("GET", lambda db: "/governance/report/2026-11.pdf", None),
    "governance.report_choice": ("GET", lambda db: "/governance/report/?period=2024-25&format=xlsx", None),
    "governance.targets": ("GET", lambda db: "/governance/targets", None),
    "governance.targets_save": ("POST", lambda db: "/governance/targets", None),
    "governance.targets_import": ("POST", lambda db: "/governance/targets/import", None),
    "governance.targets_csv": ("GET", lambda db: "/governance/targets.csv", None),
    "governance.rates_save": ("POST", lambda db: "/governance/rates", None),
}
