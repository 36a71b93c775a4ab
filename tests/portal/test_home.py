from django.urls import reverse


def test_staff_home_shows_their_subtree_with_computed_counts(world, login):
    page = login(world.users.staff_jy).get(reverse("home")).content.decode()
    assert "州教育局党委" in page
    assert "下辖2个党支部、1个党小组，共有党员6名" in page
    assert f"?org={world.jy.pk}&amp;stage=full" in page
    assert "镇江路街道党工委" not in page


def test_member_home_shows_their_record_and_no_scope(world, login):
    page = login(world.users.member_a).get(reverse("home")).content.decode()
    assert "张党员" in page
    assert "第一中学党支部" in page
    assert "下辖" not in page


def test_user_without_roles_gets_an_explanation(world, login):
    page = login(world.users.outsider).get(reverse("home")).content.decode()
    assert "您还没有被分配任何组织" in page
    assert "下辖" not in page


def test_home_query_count_does_not_depend_on_the_size_of_the_tree(world, login, django_assert_max_num_queries):
    client = login(world.users.staff_zz)
    with django_assert_max_num_queries(12):
        client.get(reverse("home"))
