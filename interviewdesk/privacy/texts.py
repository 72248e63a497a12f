"""Words used outside this app's own templates but owned by it, so its catalogue keeps them."""

from django.utils.translation import gettext_noop

# The footer of every page (templates/base.html) links to this app's pages under this heading.
FOOTER_HEADING = gettext_noop("About this service")
