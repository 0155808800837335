"""The worlds of the permission matrix are written back whole for every test, including the tables the restore
leaves alone when the test has not written to them."""

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from tests.permissions import rows_councils
from tests.permissions.matrix import world_of


def test_a_world_restored_after_the_test_wrote_to_an_unchanged_table_has_the_migrated_rows_again(db):
    world_of(rows_councils)  # built (or already built by another test of this process)
    permissions = Permission.objects.count()
    Permission.objects.create(
        codename="permiso_de_prueba", name="De prueba", content_type=ContentType.objects.get_for_model(Permission)
    )
    Permission.objects.filter(codename="view_permission").delete()
    world_of(rows_councils)
    assert Permission.objects.count() == permissions
    assert not Permission.objects.filter(codename="permiso_de_prueba").exists()
    assert Permission.objects.filter(codename="view_permission").exists()
