"""Polyglot test: calls every RPC of a running Token Authority from Python and checks each token
through InspectToken. Run by ../scripts/polyglot-test.sh, which starts the real server jar and
sets:

  TA_TARGET   host:port of the server
  TA_MODE     "plaintext" (development default) or "mtls"
  TA_CA, TA_CERT, TA_KEY              mTLS: CA bundle, client certificate and key (allowed caller)
  TA_STRANGER_CERT, TA_STRANGER_KEY   mTLS: a certificate from the same CA for an identity with no policy
  TA_AGORA_APP, TA_ZEGO_APP, TA_EASEMOB_APP  app references (default agora, zego, easemob)
"""

import os
import time
import unittest
import uuid

import grpc

from tokenauthority_client import TokenAuthorityClient, create_channel, pb

ENV = os.environ
MODE = ENV.get("TA_MODE", "plaintext")
TARGET = ENV.get("TA_TARGET", "127.0.0.1:50051")
AGORA = ENV.get("TA_AGORA_APP", "agora")
ZEGO = ENV.get("TA_ZEGO_APP", "zego")
EASEMOB = ENV.get("TA_EASEMOB_APP", "easemob")


def client_for(cert=None, key=None):
    if MODE == "mtls":
        channel = create_channel(TARGET, ca_file=ENV["TA_CA"], cert_file=cert or ENV["TA_CERT"],
                                 key_file=key or ENV["TA_KEY"], max_attempts=2)
    else:
        channel = create_channel(TARGET, max_attempts=2)
    return TokenAuthorityClient(channel, timeout=15)


class PolyglotTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.client = client_for()

    @classmethod
    def tearDownClass(cls):
        cls.client.close()

    def inspect_valid(self, issued, app, legacy_binding=None):
        """Inspects an issued token and checks what every issue response promises."""
        self.assertTrue(issued.token)
        self.assertEqual(app, issued.app)
        self.assertGreater(issued.expires_at.seconds, issued.issued_at.seconds)
        self.assertLessEqual(issued.earliest_expiry.seconds, issued.expires_at.seconds)
        self.assertGreater(issued.earliest_expiry.seconds, int(time.time()))
        request = pb.InspectTokenRequest(token=issued.token, app=app)
        if legacy_binding is not None:
            request.legacy_binding.CopyFrom(legacy_binding)
        info = self.client.inspect_token(request)
        self.assertEqual(pb.VALIDITY_VALID, info.validity, info.invalid_reason)
        self.assertEqual("", info.invalid_reason)
        self.assertEqual(issued.format, info.format)
        self.assertEqual(app, info.app)
        self.assertEqual(issued.issued_at.seconds, info.issued_at.seconds)
        self.assertEqual(issued.expires_at.seconds, info.expires_at.seconds)
        self.assertEqual("primary", info.matched_credential)
        self.assertTrue(info.privileges)
        return info

    def privilege_names(self, info, service):
        return {p.name for p in info.privileges if p.service == service}

    def test_issue_rtc_007_publisher(self):
        issued = self.client.issue_rtc_token(pb.IssueRtcTokenRequest(
            app=AGORA, channel_name="polyglot-py", uid=4242, role=pb.RTC_ROLE_PUBLISHER,
            lifetime_seconds=600)).issued_token
        self.assertEqual(pb.TOKEN_FORMAT_AGORA_007, issued.format)
        self.assertTrue(issued.token.startswith("007"))
        self.assertEqual(600, issued.expires_at.seconds - issued.issued_at.seconds)
        info = self.inspect_valid(issued, AGORA)
        self.assertEqual("4242", info.subject)
        self.assertEqual("polyglot-py", info.channel)
        self.assertTrue({"join_channel", "publish_audio", "publish_video"} <= self.privilege_names(info, "rtc"))

    def test_issue_rtc_subscriber_with_rtm(self):
        issued = self.client.issue_rtc_token(pb.IssueRtcTokenRequest(
            app=AGORA, channel_name="polyglot-py-sub", user_account="py-account",
            role=pb.RTC_ROLE_SUBSCRIBER, lifetime_seconds=300, include_rtm=True)).issued_token
        info = self.inspect_valid(issued, AGORA)
        self.assertEqual("py-account", info.subject)
        self.assertEqual({"join_channel"}, self.privilege_names(info, "rtc"))
        self.assertTrue(self.privilege_names(info, "rtm"))

    def test_issue_rtc_006_inspected_with_its_binding(self):
        issued = self.client.issue_rtc_token(pb.IssueRtcTokenRequest(
            app=AGORA, channel_name="polyglot-py-006", uid=77, role=pb.RTC_ROLE_PUBLISHER,
            lifetime_seconds=600, format=pb.TOKEN_FORMAT_AGORA_006)).issued_token
        self.assertEqual(pb.TOKEN_FORMAT_AGORA_006, issued.format)
        self.assertTrue(issued.token.startswith("006"))
        self.inspect_valid(issued, AGORA, pb.Legacy006Binding(channel_name="polyglot-py-006", uid="77"))

    def test_issue_rtm(self):
        issued = self.client.issue_rtm_token(pb.IssueRtmTokenRequest(
            app=AGORA, user_id="py-rtm-user", lifetime_seconds=900)).issued_token
        info = self.inspect_valid(issued, AGORA)
        self.assertEqual("py-rtm-user", info.subject)
        self.assertTrue(self.privilege_names(info, "rtm"))

    def test_issue_chat_agora_user_and_app(self):
        user_uuid = str(uuid.uuid4())
        user = self.client.issue_chat_token(pb.IssueChatTokenRequest(
            app=AGORA, agora_user=pb.AgoraChatUser(user_uuid=user_uuid), lifetime_seconds=600)).issued_token
        info = self.inspect_valid(user, AGORA)
        self.assertEqual(user_uuid, info.subject)
        self.assertTrue(self.privilege_names(info, "chat"))

        app_token = self.client.issue_chat_token(pb.IssueChatTokenRequest(
            app=AGORA, agora_app=pb.AgoraChatApp(), lifetime_seconds=600)).issued_token
        info = self.inspect_valid(app_token, AGORA)
        self.assertEqual("", info.subject)
        self.assertTrue(self.privilege_names(info, "chat"))

    def test_issue_chat_easemob_dynamic(self):
        issued = self.client.issue_chat_token(pb.IssueChatTokenRequest(
            app=EASEMOB, easemob_user=pb.EasemobUser(user_id="py-easemob-user"),
            lifetime_seconds=600)).issued_token
        self.assertEqual(pb.TOKEN_FORMAT_EASEMOB_DYNAMIC, issued.format)
        info = self.inspect_valid(issued, EASEMOB)
        self.assertEqual("py-easemob-user", info.subject)

    def test_issue_zim_with_room(self):
        issued = self.client.issue_zim_token(pb.IssueZimTokenRequest(
            app=ZEGO, user_id="py-zim-user", lifetime_seconds=600,
            room=pb.ZegoRoomPrivileges(room_id="py-room", can_login=True, can_publish=False))).issued_token
        self.assertEqual(pb.TOKEN_FORMAT_ZEGO_04, issued.format)
        self.assertTrue(issued.token.startswith("04"))
        info = self.inspect_valid(issued, ZEGO)
        self.assertEqual("py-zim-user", info.subject)
        self.assertEqual("py-room", info.channel)

    def test_renew_keeps_identity_and_privileges(self):
        issued = self.client.issue_rtc_token(pb.IssueRtcTokenRequest(
            app=AGORA, channel_name="polyglot-py-renew", uid=99, role=pb.RTC_ROLE_SUBSCRIBER,
            lifetime_seconds=600)).issued_token
        before = self.inspect_valid(issued, AGORA)
        renewed = self.client.renew_token(pb.RenewTokenRequest(
            token=issued.token, app=AGORA, lifetime_seconds=300)).issued_token
        self.assertNotEqual(issued.token, renewed.token)
        self.assertEqual(300, renewed.expires_at.seconds - renewed.issued_at.seconds)
        after = self.inspect_valid(renewed, AGORA)
        self.assertEqual(before.subject, after.subject)
        self.assertEqual(before.channel, after.channel)
        self.assertEqual(self.privilege_names(before, "rtc"), self.privilege_names(after, "rtc"))

    def test_inspect_with_another_app_is_invalid(self):
        issued = self.client.issue_rtm_token(pb.IssueRtmTokenRequest(
            app=AGORA, user_id="py-other-app", lifetime_seconds=60)).issued_token
        info = self.client.inspect_token(pb.InspectTokenRequest(token=issued.token, app=ZEGO))
        self.assertEqual(pb.VALIDITY_INVALID, info.validity)
        self.assertTrue(info.invalid_reason)

    def test_malformed_token_and_bad_input_are_invalid_argument(self):
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.inspect_token(pb.InspectTokenRequest(token="007not-a-token", app=AGORA))
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())
        with self.assertRaises(grpc.RpcError) as caught:
            self.client.issue_rtc_token(pb.IssueRtcTokenRequest(
                app=AGORA, channel_name="x" * 65, uid=1, role=pb.RTC_ROLE_PUBLISHER))
        self.assertEqual(grpc.StatusCode.INVALID_ARGUMENT, caught.exception.code())


@unittest.skipUnless(MODE == "mtls", "mTLS refusals need the mTLS server")
class MtlsRefusalTest(unittest.TestCase):
    def test_no_client_certificate_is_refused(self):
        channel = create_channel(TARGET, ca_file=ENV["TA_CA"], max_attempts=2)
        with TokenAuthorityClient(channel, timeout=15) as client:
            with self.assertRaises(grpc.RpcError) as caught:
                client.issue_rtm_token(pb.IssueRtmTokenRequest(app=AGORA, user_id="nobody"))
        self.assertEqual(grpc.StatusCode.UNAVAILABLE, caught.exception.code())

    def test_identity_without_policy_is_denied(self):
        with client_for(ENV["TA_STRANGER_CERT"], ENV["TA_STRANGER_KEY"]) as client:
            with self.assertRaises(grpc.RpcError) as caught:
                client.issue_rtm_token(pb.IssueRtmTokenRequest(app=AGORA, user_id="stranger"))
        self.assertEqual(grpc.StatusCode.PERMISSION_DENIED, caught.exception.code())


if __name__ == "__main__":
    unittest.main(verbosity=2)
