from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "interviewdesk.portal"
    label = "portal"

    def ready(self) -> None:
        # Messaging and live sit below the portal: they reach the portal's personal links, overview and
        # adjustments through what the portal registers here (receivers connect in ready(), as Django advises).
        from interviewdesk.live.signals import extra_minutes_requested
        from interviewdesk.messaging.groups import GroupFinder, group_finder_register
        from interviewdesk.messaging.links import LinkKeeper, link_keeper_register
        from interviewdesk.messaging.signals import invitation_answered

        from .receivers import on_invitation_answered
        from .services.access import access_link_revoke, access_links_ensure, access_links_for_delivery
        from .services.adjustments import on_extra_minutes_requested
        from .services.connection_tests import slot_group, slot_others_sent

        link_keeper_register(LinkKeeper(ensure=access_links_ensure, for_delivery=access_links_for_delivery,
                                        revoke=access_link_revoke))
        # The proctor gets one calendar event per connection-test slot, not one per booking (issue 13).
        group_finder_register(GroupFinder(group_of=slot_group, others_sent=slot_others_sent))
        extra_minutes_requested.connect(on_extra_minutes_requested, dispatch_uid="portal.extra_minutes")
        invitation_answered.connect(on_invitation_answered, dispatch_uid="portal.invitation_answered")
