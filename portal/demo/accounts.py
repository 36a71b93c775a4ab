"""Demo logins for every role, all with one known password (listed in README, "Demo accounts")."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from branches.models import Role, RoleAssignment
from members.models import Member

from .context import SeedContext

DEMO_PASSWORD = "xianfeng-demo"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str = ""  # defaults to the linked member's name
    role: str = ""  # a branches.models.Role, granted on ``org``
    org: str = ""  # node handle
    member: str = ""  # person handle: the Member this login belongs to
    superuser: bool = False
    sees: str = ""  # for the README table


DEMO_ACCOUNTS = [
    DemoAccount("admin", "系统管理员", superuser=True, sees="Everything, and the Django admin"),
    DemoAccount(
        "zhenjiang_staff",
        "街道党工委组织干事",
        Role.STAFF,
        "zhenjiang.root",
        sees="镇江路街道党工委 and everything below it",
    ),
    DemoAccount(
        "beier_staff",
        "北二社区党委干事",
        Role.STAFF,
        "zhenjiang.beier",
        sees="北二社区党委 and its branches only (a sub-committee)",
    ),
    DemoAccount(
        "yixing_staff",
        "建设局党委办公室干事",
        Role.STAFF,
        "yixing.root",
        sees="中共宜兴市建设局委员会: 35 branches, 4 片区",
    ),
    DemoAccount(
        "dianhua_staff",
        "电化公司党委组织部干事",
        Role.STAFF,
        "dianhua.root",
        sees="西安电化公司党委, its project 党工委 and 作业队党支部",
    ),
    DemoAccount(
        "jiaoyu_staff",
        "教育局党委办公室干事",
        Role.STAFF,
        "hancheng.root",
        sees="韩城市教育局党委: 14 direct branches and the schools under the 10 town committees",
    ),
    DemoAccount(
        "zhouzhi_staff",
        "州直机关工委组织部干事",
        Role.STAFF,
        "zhouzhi.root",
        sees="州直机关工委: 81 党委, 21 党总支, 557 党支部",
    ),
    DemoAccount(
        "secretary_yixing_1",
        role=Role.SECRETARY,
        org="yixing.jiguan1",
        member="yixing.jiguan1.secretary",
        sees="局机关第一党支部 (its roster); sibling of secretary_yixing_2",
    ),
    DemoAccount(
        "secretary_yixing_2",
        role=Role.SECRETARY,
        org="yixing.jiguan2",
        member="yixing.jiguan2.secretary",
        sees="局机关第二党支部 (its roster); sibling of secretary_yixing_1",
    ),
    DemoAccount(
        "organizer_hancheng",
        role=Role.ORGANIZER,
        org="hancheng.xiangshan",
        member="hancheng.xiangshan.organization",
        sees="象山中学党支部, as its 组织委员 acting for the secretary",
    ),
    DemoAccount("member_demo", member="yixing.member_demo", sees="Own record (a member of 局机关第一党支部)"),
    DemoAccount(
        "leader_demo",
        member="hancheng.xu",
        sees="徐元方, 教育局党委副书记: reads his two contact points 象山中学 and 韩城职专, and his own record",
    ),
]
DEMO_USERNAMES = [account.username for account in DEMO_ACCOUNTS]


def write_accounts(ctx: SeedContext) -> int:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is the slow part
    users, links = [], []
    for account in DEMO_ACCOUNTS:
        member = ctx.people[account.member] if account.member else None
        user = User(
            username=account.username,
            full_name=account.full_name or (member.name if member else account.username),
            password=password,
            is_superuser=account.superuser,
            is_staff=account.superuser,
            must_change_password=False,
        )
        users.append(user)
        links.append((account, user, member))
    User.objects.bulk_create(users)
    roles = []
    for account, user, member in links:
        ctx.users[account.username] = user
        if account.role:
            roles.append(RoleAssignment(user=user, org=ctx.node(account.org).org, role=account.role))
        if member is not None:
            member.user = user
            Member.objects.filter(pk=member.pk).update(user=user)
    RoleAssignment.objects.bulk_create(roles)
    return len(users)
