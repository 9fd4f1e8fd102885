"""Build hook: ship the seed glossaries from the top-level glossaries/ folder.

The repository keeps glossaries/ at the top level (where translators and
CAT tools find them); the installed package needs them inside
``termbase/glossaries`` so a non-editable ``pip install .`` still finds the
seed glossary.  Everything else is configured in pyproject.toml.
"""

import glob
import os
import shutil

from setuptools import setup
from setuptools.command.build_py import build_py


class BuildWithGlossaries(build_py):
    """build_py that copies glossaries/*.tbx into termbase/glossaries."""

    def run(self) -> None:
        super().run()
        here = os.path.dirname(os.path.abspath(__file__))
        target = os.path.join(self.build_lib, "termbase", "glossaries")
        os.makedirs(target, exist_ok=True)
        for path in glob.glob(os.path.join(here, "glossaries", "*.tbx")):
            shutil.copy2(path, target)


setup(cmdclass={"build_py": BuildWithGlossaries})
