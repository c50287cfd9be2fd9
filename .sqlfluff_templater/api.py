"""A stand-in for dbt's `api` when SQLFluff renders models."""


class Column:
    @staticmethod
    def translate_type(dtype):
        return dtype
