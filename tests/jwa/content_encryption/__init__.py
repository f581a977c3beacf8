"""Tests of RFC 7518 s5 content encryption: AES GCM, AES_CBC_HMAC_SHA2 and the dispatcher."""
