"""Words used outside this app's own templates but owned by it, so its catalogue keeps them."""

from django.utils.translation import gettext_noop

# The footer of every page (templates/base.html) links to this app's pages under this heading.
FOOTER_HEADING = gettext_noop("About this service")
# The procedure's section menu (procedures/templatetags/procedure_nav.py), the candidate page's buttons
# (procedures/candidate_detail.html) and the personal page's menu (portal/layout.html) link to this app.
SECTION = gettext_noop("Privacy")
CANDIDATE_EXPORT = gettext_noop("All data held (copy for the candidate)")
CANDIDATE_EXPORT_JSON = gettext_noop("Download as JSON")
CANDIDATE_ERASE = gettext_noop("Erase personal data")
PORTAL_MENU = gettext_noop("Your data")
