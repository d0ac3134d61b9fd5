"""The sample's names in Chinese (issue 20): what a Chinese consultant would write in ``name_zh``.

The sample engagement names its BUs, factors and companies in English and its customers in
both scripts ("Zhongyuan Steel 中原钢铁"); :func:`add_names` fills the optional ``_zh`` columns
(:mod:`kamanalysis.base.names`) so that the sample's Chinese reports name everything in
Chinese: 泵阀事业部, 中原钢铁, 陈志强, 产品质量. No random numbers are drawn: the rest of the
sample does not change with it.

Examples
--------
>>> chinese("Zhongyuan Steel 中原钢铁"), chinese("Anhe Steel"), chinese("Pumps & Valves 2")
('中原钢铁', '安和钢铁', '泵阀事业部 2')
>>> chinese("Huaxin Motion Control"), chinese("Product quality")
('华信运动控制', '产品质量')
"""

from __future__ import annotations

import re

import pandas as pd

from ..base.names import NAMED_COLUMNS

#: BU names: (the BU, the company's short name for it).
_BUS = {
    "Pumps & Valves": ("泵阀事业部", "泵阀"),
    "Industrial Coatings": ("工业涂料事业部", "工业涂料"),
    "Motion Control": ("运动控制事业部", "运动控制"),
}
#: The generated accounts' names: a trade name and the industry.
_SYLLABLES = dict(
    zip(
        (
            "Anhe Baoli Chenguang Dahua Donghai Fengyuan Guotai Haixing Hongda Huaxia Jiahe "
            "Jinlong Kaida Longsheng Mingyang Ningbo Pingan Qianjin Ruifeng Sanhe Shengli Taihe "
            "Tianyi Wanxiang Xinda Yongan Yuanda Zhenhua Zhongxin Weiye Lianhe Hengyuan"
        ).split(),
        "安和 宝利 晨光 大华 东海 丰源 国泰 海星 宏达 华夏 嘉禾 金龙 凯达 隆盛 明阳 宁波 平安 前进 "
        "瑞丰 三和 胜利 泰和 天一 万象 信达 永安 远大 振华 中信 伟业 联合 恒源".split(),
        strict=True,
    )
)
_INDUSTRIES = {
    "Steel": "钢铁",
    "Chemical": "化工",
    "Water": "水务",
    "Power": "电力",
    "Paper": "纸业",
    "Mining": "矿业",
    "Refining": "石化",
    "Pharma": "制药",
    "Food": "食品",
    "Cement": "水泥",
    "Shipbuilding": "造船",
    "Steel Structures": "钢构",
    "Rail": "轨道交通",
    "Machinery": "机械",
    "Containers": "集装箱",
    "Wind Energy": "风电",
    "Bridges": "路桥",
    "Robotics": "机器人",
    "Packaging": "包装",
    "Electronics": "电子",
    "Textiles": "纺织",
    "Printing": "印刷",
    "Machine Tools": "机床",
    "Logistics": "物流",
}
#: Factors, drivers, indicators, activities and foreign companies, as a consultant writes them.
_WORDS = {
    # PEST
    "Industrial policy favours domestic suppliers": "产业政策扶持国产供应商",
    "Stricter environmental inspections": "环保督查趋严",
    "Infrastructure investment cycle": "基建投资周期",
    "Raw-material price volatility": "原材料价格波动",
    "Shortage of skilled maintenance staff": "熟练维修人员短缺",
    "Customers demand local service within 24 h": "客户要求24小时内本地服务",
    "Digital monitoring and predictive maintenance": "数字化监测与预测性维护",
    "Low-cost imitation of core products": "核心产品遭低价仿制",
    # five forces
    "Number of comparable competitors": "同类竞争者数量",
    "Price wars in tenders": "招标价格战",
    "Exit barriers": "退出壁垒",
    "Capital required": "资本门槛",
    "Brand and references needed": "品牌与业绩门槛",
    "Access to channels": "渠道进入难度",
    "Alternative technologies": "其他替代技术",
    "Price-performance of substitutes": "替代品性价比",
    "Switching cost to substitutes": "转向替代品的转换成本",
    "Buyer concentration": "买方集中度",
    "Buyers' price sensitivity": "买方价格敏感度",
    "Backward integration": "买方后向一体化",
    "Supplier concentration": "供应商集中度",
    "Uniqueness of inputs": "投入品独特性",
    "Forward integration": "供应商前向一体化",
    # industry evolution
    "Customers bypass us for direct sourcing": "客户绕过我们直接采购",
    "Our sales and service routines lose relevance": "我们的销售与服务模式不再适用",
    "Margins on core activities shrink industry-wide": "全行业核心业务利润率收窄",
    "Our core technology is being made obsolete": "我们的核心技术正被淘汰",
    "Brand and references lose value to buyers": "品牌与业绩对买方的价值下降",
    "Specialised plant loses its advantage": "专用产线优势减弱",
    # IFE / EFE
    "Product reliability": "产品可靠性",
    "Installed base and references": "装机量与客户案例",
    "Application engineering": "应用工程能力",
    "Local service network": "本地服务网络",
    "Cost position": "成本优势",
    "Digital offering": "数字化产品",
    "Key-account management process": "大客户管理流程",
    "Export presence": "海外市场布局",
    "Delivery lead time": "交货周期",
    "Brand awareness": "品牌知名度",
    "Equipment upgrade programmes": "设备更新改造计划",
    "Import substitution": "进口替代",
    "Energy-efficiency rules": "能效新规",
    "Service contracts demand": "服务合同需求",
    "Export markets": "出口市场",
    "Price competition from new entrants": "新进入者的价格竞争",
    "Raw-material costs": "原材料成本",
    "Customer consolidation": "客户兼并整合",
    "Substitute technologies": "替代技术",
    "Longer payment terms": "账期延长",
    # benchmark
    "Product quality": "产品质量",
    "Price competitiveness": "价格竞争力",
    "Delivery reliability": "交付可靠性",
    "Technical service": "技术服务",
    "Brand and references": "品牌与案例",
    "Product range": "产品线宽度",
    "Innovation": "创新能力",
    "Financial strength": "财务实力",
    "Nordhavn Pumps": "诺德哈文泵业",
    "Taifeng Flow": "泰丰流体",
    "Hempmark Coatings": "汉普马克涂料",
    "Dalian Anticorrosion": "大连防腐",
    "Servotec AG": "赛沃泰克",
    "Leisai Motion": "雷赛运动控制",
    # value chain
    "Inbound logistics": "进料物流",
    "Operations": "生产运营",
    "Outbound logistics": "出货物流",
    "Marketing and sales": "市场营销与销售",
    "Service": "售后服务",
    "Firm infrastructure": "企业基础设施",
    "Human resources": "人力资源管理",
    "Technology development": "技术开发",
    "Procurement": "采购",
}
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBERED = re.compile(r"^(.*\S) (\d+)$")


def chinese(name: str) -> str | None:
    """Return the sample's Chinese name for ``name``; None when it has none.

    A name already holding Chinese keeps its Chinese part ("Zhongyuan Steel 中原钢铁" is
    中原钢铁); a numbered copy ("Pumps & Valves 2") keeps its number.
    """
    if _CJK.search(name):
        return name[_CJK.search(name).start() :].strip()
    numbered = _NUMBERED.match(name)
    if numbered and numbered.group(1) != name:
        base = chinese(numbered.group(1))
        return f"{base} {numbered.group(2)}" if base else None
    if name in _BUS:
        return _BUS[name][0]
    if name in _WORDS:
        return _WORDS[name]
    if name.startswith("Huaxin "):  # the BU itself in the benchmark
        bu = name.removeprefix("Huaxin ")
        numbered = _NUMBERED.match(bu)
        short, number = (numbered.group(1), f" {numbered.group(2)}") if numbered else (bu, "")
        return f"华信{_BUS[short][1]}{number}" if short in _BUS else None
    trade, _, industry = name.partition(" ")
    if trade in _SYLLABLES and industry in _INDUSTRIES:
        return _SYLLABLES[trade] + _INDUSTRIES[industry]
    return None


def add_names(tables: dict[str, pd.DataFrame]) -> None:
    """Fill every named column's ``_zh`` column of the sample's tables, in place."""
    for table, columns in NAMED_COLUMNS.items():
        frame = tables[table]
        for column in columns:
            frame[f"{column}_zh"] = frame[column].map(lambda n: chinese(str(n)))
