from repository.models.appraisal import (  # noqa: F401
    Appraisal,
    AppraisalTask,
    ScopeLevel,
    ScopeWorkflow,
)
from repository.models.materials import (  # noqa: F401
    MATERIAL_KINDS,
    DocumentPage,
    ExternalResourcePage,
    LessonPage,
    LibraryIndexPage,
    Licence,
    MaterialPage,
    SchoolLibraryPage,
    SharingScope,
    TestPaperPage,
    TextbookSeries,
    VideoLecturePage,
    WorksheetPage,
)
