Attribute VB_Name = "EdiWorkbook"
' edi-workbook: one macro per button, for classic xlwings (desktop Excel with a local Python).
'
' Import this file into a workbook that has the xlwings VBA module (edi_action_plan.xlsm has it)
' or a reference to the xlwings add-in: Alt+F11, File > Import File..., pick EdiWorkbook.bas.
' Then add a button: Insert > Shapes, draw it, right-click > Assign Macro..., pick one below.
' Each macro runs the same Python function as the xlwings Lite and xlwings Server routes.
Option Explicit

Sub EdiValidatePlan()
    RunPython "import edi_workbook.excel.addin as a; a.run('validate')"
End Sub

Sub EdiRefreshRag()
    RunPython "import edi_workbook.excel.addin as a; a.run('rag')"
End Sub

Sub EdiSuggestMappings()
    RunPython "import edi_workbook.excel.addin as a; a.run('suggest')"
End Sub

Sub EdiExportCalendar()
    RunPython "import edi_workbook.excel.addin as a; a.run('calendar')"
End Sub
