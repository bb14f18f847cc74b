"""管理: administrator tools. Township boundaries for the offline map (dashboard.admin_boundaries)."""

import streamlit as st

from dashboard import admin_boundaries
from dashboard.auth_ui import require_page
from dashboard.i18n import t

user = require_page("admin")
st.title(t("nav.admin"))

admin_boundaries.render(user)
