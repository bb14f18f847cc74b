"""管理: administrator tools. Accounts (dashboard.admin_accounts), township boundaries for the offline map
(dashboard.admin_boundaries) and backups."""

import streamlit as st

from dashboard import admin_accounts, admin_boundaries
from dashboard.auth_ui import require_page
from dashboard.i18n import t

user = require_page("admin")
st.title(t("nav.admin"))

tab_accounts, tab_boundaries, tab_backup = st.tabs([t("accounts.tab"), t("accounts.tab_boundaries"), t("backup.tab")])
with tab_accounts:
    admin_accounts.render(user)
with tab_boundaries:
    admin_boundaries.render(user)
with tab_backup:
    admin_accounts.render_backup(user)
