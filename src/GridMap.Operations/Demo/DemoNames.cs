namespace GridMap.Operations.Demo;

/// Made-up Chinese names for the demo city. None of them is meant to name a real place or person.
internal static class DemoNames
{
    public static readonly string[] Streets = ["湖滨街道", "凤凰街道", "天河街道"];

    public static readonly string[] Communities =
    [
        "望湖社区", "柳溪社区", "金港社区", "南岗社区", "清风社区", "桃花社区",
        "东园社区", "西苑社区", "北塘社区", "湖光社区", "长安社区", "和平社区", "新河社区", "半山社区",
    ];

    public static readonly string[] MajorRoads = ["湖光路", "凤凰大道", "黄山路", "长江西路", "淮河路", "环湖大道", "古城路"];

    public const string BoundaryRoad = "环城路";

    public static readonly string[] LocalRoads =
    [
        "健康路", "文化路", "建设路", "光明路", "胜利路", "东风路", "花园路", "桃源路", "学府路", "春晖路",
        "育才路", "向阳路", "紫薇路", "梧桐路", "青年路", "新华路", "民主路", "朝阳路", "团结路", "振兴路",
        "银杏路", "丁香路", "秀水路", "明珠路", "锦江路", "翠柏路", "兴业路", "裕民路", "安居路", "康宁路",
    ];

    public static readonly string[] Lanes = ["一巷", "二巷", "三巷", "四巷", "五巷", "六巷"];

    public const string River = "清溪河";

    private static readonly string[] CompoundWords =
    [
        "锦绣", "金色", "翠湖", "阳光", "幸福", "和平", "绿地", "滨湖", "蓝湾", "紫荆", "桂花", "香樟", "御景",
        "书香", "世纪", "东方", "湖畔", "天鹅", "玉兰", "银河", "丽景", "嘉园", "盛世", "怡和", "春江", "碧水",
        "凤栖", "龙湾", "学府", "康居", "富华", "长青", "汇景", "明月", "清华", "云溪", "泰和", "海棠",
    ];

    private static readonly Dictionary<string, string[]> CompoundEndings = new()
    {
        ["commodity_housing"] = ["花园", "华府", "名邸", "雅苑", "公馆", "湾", "城", "壹号"],
        ["old_compound"] = ["新村", "小区", "宿舍", "里", "二村", "三村"],
        ["resettlement"] = ["家园", "安置小区", "新居", "佳苑"],
        ["low_rise"] = ["别墅", "山庄", "庭院"],
    };

    private static readonly string[] OldCompoundOwners = ["纺织厂", "粮食局", "供电局", "机械厂", "水泥厂", "二中", "邮电局", "卫生院"];

    public static readonly string[] PropertyCompanies =
        ["绿城物业", "万科物业", "保利物业", "碧桂园服务", "徽盐物业", "华邦物业", "新地物业", "安居物业"];

    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];

    private static readonly string[] GivenNames =
        ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "霞", "平", "刚", "桂英", "建华", "玉兰"];

    public static readonly string[] Departments = ["公安", "综治", "城管", "市场监管", "应急管理"];

    public static string Compound(Random random, string kind, HashSet<string> taken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var endings = CompoundEndings[kind];
            var stem = kind == "old_compound" && random.Next(3) == 0
                ? OldCompoundOwners[random.Next(OldCompoundOwners.Length)]
                : CompoundWords[random.Next(CompoundWords.Length)];
            var name = stem + endings[random.Next(endings.Length)];
            if (attempt > 20)
                name += $"{attempt - 19}期";
            if (taken.Add(name))
                return name;
        }
    }

    public static string Person(Random random) =>
        Surnames[random.Next(Surnames.Length)] + GivenNames[random.Next(GivenNames.Length)];

    /// A mobile number of the 138/139/150… ranges; random, so it belongs to nobody on purpose.
    public static string Phone(Random random) =>
        $"1{"3589"[random.Next(4)]}{random.Next(10)}{random.Next(10_000_000, 100_000_000)}";
}
