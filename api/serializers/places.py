from rest_framework import serializers

from allocations.models import County, Prefecture, Province
from api.plumbing import ReadModelSerializer


class ProvinceSerializer(ReadModelSerializer):
    class Meta:
        model = Province
        fields = ["id", "name", "code"]
        extra_kwargs = {"id": {"help_text": "省（自治区、直辖市）编号"}}


class PrefectureSerializer(ReadModelSerializer):
    province_name = serializers.CharField(source="province.name", label="省（自治区、直辖市）名称", read_only=True)

    class Meta:
        model = Prefecture
        fields = ["id", "name", "province", "province_name", "position"]
        extra_kwargs = {"id": {"help_text": "地（州、市）编号"}, "province": {"help_text": "所属省（自治区、直辖市）编号"}}


class CountySerializer(ReadModelSerializer):
    prefecture_name = serializers.CharField(source="prefecture.name", label="地（州、市）名称", read_only=True)

    class Meta:
        model = County
        fields = ["id", "name", "kind", "prefecture", "prefecture_name", "position"]
        extra_kwargs = {"id": {"help_text": "县（市、区）编号"}, "prefecture": {"help_text": "所属地（州、市）编号"}}
