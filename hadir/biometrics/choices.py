from django.db import models


class TemplateSource(models.TextChoices):
    APP_FRAMES = "app_frames", "Bingkai langsung dari aplikasi"
    OPERATOR_PHOTO = "operator_photo", "Foto oleh operator (tatap muka)"


class FaceCheckStatus(models.TextChoices):
    """What the background face check of a check-in could do."""

    CHECKED = "checked", "Diperiksa"
    NOT_ENROLLED = (
        "not_enrolled",
        "Belum ada templat wajah (keaslian dan pemakaian ulang diperiksa)",
    )
    NO_CONSENT = "no_consent", "Tanpa persetujuan biometrik: diverifikasi atasan"
    NO_FACE = "no_face", "Wajah tidak ditemukan"


class AccessPurpose(models.TextChoices):
    VERIFY = "verify", "Verifikasi check-in"
    ENROLL = "enroll", "Pendaftaran wajah"
    REVIEW = "review", "Pemeriksaan atasan"
    FRAUD_CASE = "fraud_case", "Kasus kecurangan"
    ADMIN = "admin", "Administrasi"
