"""National default code lists (../shared/domain.md §2.2–2.4, 2014–2020 national system values).

Data, not constants: these rows are installed into the Code table once and may then be edited,
extended or deactivated by an administrator. Values follow the national system's codes where they
are known; labels are what the forms and exports show.
"""

ETHNIC_GROUPS = (
    "汉族 蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 "
    "土家族 哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族 "
    "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族 普米族 塔吉克族 怒族 "
    "乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族 塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族"
).split()


def numbered(labels: list[str], width: int = 2) -> list[tuple[str, str]]:
    return [(str(i).zfill(width), label) for i, label in enumerate(labels, start=1)]


DEFAULTS: dict[str, list[tuple[str, str]]] = {
    "identification_standard": [("1", "国家标准"), ("2", "省定标准"), ("3", "市定标准")],
    "household_attribute": [
        ("01", "一般贫困户"),
        ("02", "低保脱贫户"),
        ("03", "特困供养脱贫户"),
        ("04", "低保贫困户"),
        ("05", "一般脱贫户"),
        ("06", "特困供养贫困户"),
        ("07", "低保特困供养贫困户"),
        ("08", "低保特困供养户"),
    ],
    "poverty_cause": [
        (str(i), label)
        for i, label in enumerate(
            [
                "因病",
                "因残",
                "因学",
                "因灾",
                "缺土地",
                "缺水",
                "缺技术",
                "缺劳力",
                "缺资金",
                "交通条件落后",
                "自身发展动力不足",
                "因婚",
                "因丧",
            ],
            start=1,
        )
    ]
    + [("99", "其他")],
    "relation_to_head": numbered(
        [
            "户主",
            "配偶",
            "之子",
            "之女",
            "之儿媳",
            "之女婿",
            "之孙子",
            "之孙女",
            "之外孙子",
            "之外孙女",
            "之父",
            "之母",
            "之岳父",
            "之岳母",
            "之公公",
            "之婆婆",
            "之祖父",
            "之祖母",
            "之外祖父",
            "之外祖母",
        ]
    )
    + [("99", "其他")],
    "ethnicity": numbered(ETHNIC_GROUPS) + [("97", "其他"), ("98", "外国血统中国籍人士")],
    "political_status": [
        ("01", "中共党员"),
        ("02", "中共预备党员"),
        ("03", "共青团员"),
        ("13", "群众"),
        ("99", "其他"),
    ],
    "education": numbered(["文盲或半文盲", "小学", "初中", "高中", "大专及以上", "学龄前儿童"]),
    "school_status": numbered(
        [
            "非在校生",
            "学前教育",
            "小学",
            "七年级",
            "八年级",
            "九年级",
            "高中一年级",
            "高中二年级",
            "高中三年级",
            "中职一年级",
            "中职二年级",
            "中职三年级",
            "高职一年级",
            "高职二年级",
            "高职三年级",
            "大专及以上",
            "送教上门",  # 17: a child who cannot attend for illness or disability, taught at home
            "休学（经批准）",  # 18: approved leave
        ]
    ),
    "health_status": numbered(["健康", "长期慢性病", "患有大病", "残疾"]),
    "labour_skill": numbered(["普通劳动力", "技能劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"]),
    "work_status": [
        ("01", "乡（镇）内务工"),
        ("02", "乡（镇）外县内务工"),
        ("03", "县外省内务工"),
        ("04", "省外务工"),
        ("99", "其他"),
    ],
    "document_type": [("1", "居民身份证"), ("2", "残疾人证")],
    "access_road_type": numbered(["泥土路", "砂石路", "水泥路", "沥青路", "没有路", "通毛路"]),
    "housing_grade": [("A", "A级"), ("B", "B级"), ("C", "C级"), ("D", "D级")],
    "fuel_type": numbered(["柴草", "干畜粪", "煤炭", "清洁能源"]) + [("99", "其他")],
    "relocation_mode": numbered(["集中安置", "分散安置"]),
    "resettlement_type": numbered(
        ["行政村内就近安置", "建设移民新村安置", "小城镇或工业园区安置", "乡村旅游区安置", "其他安置"]
    ),
    "leave_reason": numbered(["死亡", "迁出", "婚嫁迁出", "服刑", "其他"]),
}
