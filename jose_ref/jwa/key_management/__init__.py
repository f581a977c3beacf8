"""RFC 7518 s4.1 - Key management: one module per "alg" family, two verbs each.

Each module turns a CEK into a JWE Encrypted Key and back, or agrees on a
key, in one of the RFC 7516 s2 key management modes: key encryption
(rsaes_pkcs1_v1_5, rsaes_oaep), key wrapping (aes_key_wrap, aes_gcm_key_wrap,
pbes2), direct encryption (direct) and key agreement (ecdh_es with
concat_kdf). Modules take bytes, registry descriptors and cryptography key
objects, never a JOSE header; on the decryption side every failure is the
one opaque DecryptionError (RFC 7516 s11.5).

https://www.rfc-editor.org/rfc/rfc7518#section-4.1
"""
