#!/usr/bin/env python3
"""Issue an Agora RTC token, then ask the authority what it says.

  ./generate_stubs.sh
  python3 example_client.py --target 127.0.0.1:50051                 # development default
  python3 example_client.py --target authority:50051 \\
      --ca ca.pem --cert client.pem --key client.key --app my-agora-app  # mTLS

The token is a credential: this example prints only its format and times, never the token.
"""

import argparse

from tokenauthority_client import TokenAuthorityClient, create_channel, pb


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", default="127.0.0.1:50051")
    parser.add_argument("--ca")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--app", default="agora", help="app reference configured on the server")
    parser.add_argument("--channel", default="example-room")
    parser.add_argument("--uid", type=int, default=1234)
    args = parser.parse_args()

    channel = create_channel(args.target, ca_file=args.ca, cert_file=args.cert, key_file=args.key)
    with TokenAuthorityClient(channel) as client:
        issued = client.issue_rtc_token(pb.IssueRtcTokenRequest(
            app=args.app,
            channel_name=args.channel,
            uid=args.uid,
            role=pb.RTC_ROLE_PUBLISHER,
            lifetime_seconds=3600,
        )).issued_token
        print("issued %s token for app %s, expires %s, renew before %s" % (
            pb.TokenFormat.Name(issued.format), issued.app,
            issued.expires_at.ToJsonString(), issued.earliest_expiry.ToJsonString()))

        info = client.inspect_token(pb.InspectTokenRequest(token=issued.token, app=issued.app))
        print("inspected: %s, subject=%s channel=%s, privileges=%s" % (
            pb.Validity.Name(info.validity), info.subject, info.channel,
            ", ".join("%s/%s" % (p.service, p.name) for p in info.privileges)))


if __name__ == "__main__":
    main()
