"""The service catalogue volunteers help citizens with (seeded by migration 0002 and the demo).

Codes are stable identifiers used in imports and the API; names and the online level are data that
staff may edit in admin afterwards. The online level says how much of a procedure is done online.
"""

# (code, Vietnamese name, English name, category, online level)
SERVICES: list[tuple[str, str, str, str, str]] = [
    (
        "dvc-national-full",
        "Nộp hồ sơ trực tuyến toàn trình trên Cổng Dịch vụ công quốc gia",
        "Submitting a fully online dossier on the National Public Service Portal",
        "public_service",
        "full",
    ),
    (
        "dvc-national-partial",
        "Nộp hồ sơ trực tuyến một phần trên Cổng Dịch vụ công quốc gia",
        "Submitting a partly online dossier on the National Public Service Portal",
        "public_service",
        "partial",
    ),
    (
        "dvc-provincial-full",
        "Nộp hồ sơ trực tuyến toàn trình trên Cổng Dịch vụ công của tỉnh",
        "Submitting a fully online dossier on the provincial public-service portal",
        "public_service",
        "full",
    ),
    (
        "dvc-provincial-partial",
        "Nộp hồ sơ trực tuyến một phần trên Cổng Dịch vụ công của tỉnh",
        "Submitting a partly online dossier on the provincial public-service portal",
        "public_service",
        "partial",
    ),
    (
        "dossier-lookup",
        "Tra cứu tình trạng, kết quả giải quyết hồ sơ",
        "Checking a dossier's status and result",
        "public_service",
        "full",
    ),
    (
        "online-fee-payment",
        "Thanh toán phí, lệ phí dịch vụ công trực tuyến",
        "Paying public-service fees online",
        "payment",
        "full",
    ),
    (
        "cashless-payment",
        "Mở tài khoản, thanh toán không dùng tiền mặt",
        "Opening an account and paying without cash",
        "payment",
        "none",
    ),
    (
        "vneid-install",
        "Cài đặt ứng dụng VNeID",
        "Installing the VNeID app",
        "identity",
        "none",
    ),
    (
        "vneid-level2",
        "Kích hoạt tài khoản định danh điện tử mức độ 2",
        "Activating a level-2 electronic identification account",
        "identity",
        "none",
    ),
    (
        "digital-signature",
        "Đăng ký và sử dụng chữ ký số",
        "Registering and using a digital signature",
        "signature",
        "none",
    ),
    (
        "public-service-apps",
        "Cài đặt, hướng dẫn sử dụng ứng dụng dịch vụ công",
        "Installing and using public-service apps",
        "skills",
        "none",
    ),
    (
        "app-tnvn",
        "Cài đặt, hướng dẫn sử dụng Ứng dụng Thanh niên Việt Nam (App TNVN)",
        "Installing and using the Thanh niên Việt Nam app (App TNVN)",
        "skills",
        "none",
    ),
    (
        "digital-skills",
        "Sử dụng điện thoại thông minh và kỹ năng số cơ bản",
        "Smartphone use and basic digital skills",
        "skills",
        "none",
    ),
    (
        "ecommerce",
        "Đưa sản phẩm lên sàn thương mại điện tử",
        "Selling products on e-commerce platforms",
        "ecommerce",
        "none",
    ),
    (
        "safe-social-media",
        "Sử dụng mạng xã hội an toàn, phòng chống lừa đảo trực tuyến",
        "Using social media safely and avoiding online scams",
        "skills",
        "none",
    ),
]
