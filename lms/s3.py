"""How we talk to S3-compatible servers (versitygw, MinIO, S3Proxy, providers, AWS)."""

from botocore.config import Config


def client_config(addressing_style: str = "path") -> Config:
    """Path-style addressing, SigV4 everywhere (presigned URLs too), and integrity checksums
    only when the operation requires them: newer boto3 defaults add checksum headers that
    several non-AWS servers reject."""
    return Config(
        s3={"addressing_style": addressing_style},
        signature_version="s3v4",
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        retries={"max_attempts": 3, "mode": "standard"},
    )
