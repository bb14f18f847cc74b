"""Entry point: page config, login, and the navigation each role gets."""

import sys
from pathlib import Path

import streamlit as st

# `streamlit run dashboard/app.py` puts dashboard/ on sys.path, not the project root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from culture_dash.permissions import may_view  # noqa: E402
from dashboard import auth_ui, data, tablet  # noqa: E402
from dashboard.i18n import LANGUAGES, t  # noqa: E402

PAGES_DIR = Path(__file__).parent / "app_pages"

# (page id, file, icon, group)
PAGE_TABLE = (
    ("overview", "overview.py", ":material/dashboard:", "group_view"),
    ("trends", "trends.py", ":material/show_chart:", "group_view"),
    ("map", "map.py", ":material/map:", "group_view"),
    ("plan", "plan.py", ":material/checklist:", "group_view"),
    ("sites", "sites.py", ":material/verified:", "group_view"),
    ("funds", "funds.py", ":material/payments:", "group_view"),
    ("venue", "venue.py", ":material/location_city:", "group_view"),
    ("present", "present.py", ":material/co_present:", "group_view"),
    ("upload", "upload.py", ":material/upload_file:", "group_work"),
    ("history", "history.py", ":material/history:", "group_work"),
    ("completeness", "completeness.py", ":material/fact_check:", "group_work"),
    ("admin", "admin.py", ":material/admin_panel_settings:", "group_admin"),
)


def build_navigation(role: str) -> dict[str, list]:
    groups: dict[str, list] = {}
    for page_id, file_name, icon, group in PAGE_TABLE:
        path = PAGES_DIR / file_name
        if not path.exists() or not may_view(role, page_id):
            continue
        page = st.Page(path, title=t(f"nav.{page_id}"), icon=icon, url_path=page_id, default=page_id == "overview")
        groups.setdefault(t(f"nav.{group}"), []).append(page)
    return groups


def main() -> None:
    st.set_page_config(
        page_title=t("app.title"),
        page_icon="🏛️",  # an emoji is drawn inline; a :material/…: icon is fetched from Google
        layout="wide",
    )
    with st.sidebar:
        st.selectbox(
            t("app.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="language", label_visibility="collapsed"
        )
    tablet.apply()  # touch-size controls on every page, not only the overview
    user = auth_ui.current_user()
    auth_ui.write_cookie()
    if user is None:
        st.navigation([st.Page(auth_ui.login_form, title=t("login.title"), url_path="login")]).run()
        return
    with st.sidebar:
        st.caption(t("app.signed_in_as", name=user.display_name, role=t(f"roles.{user.role}")))
        if data.is_demo(data.version("townships")):
            st.caption(f":orange-badge[{t('app.demo_badge')}]")
        if st.button(t("app.logout"), icon=":material/logout:"):
            auth_ui.logout()
            st.rerun()
    st.navigation(build_navigation(user.role)).run()


main()
