; Inno Setup 6 script: the Windows installer of the one-folder bundle. `python dev.py package
; --archive` runs it on Windows with the defines below; by hand:
;   iscc /DAppVersion=1.0.0 /DSourceDir=dist\zinc-desktop /DOutputDir=dist ^
;        /DOutputBaseName=zinc-desktop-1.0.0-windows-x86_64-setup packaging\windows\zinc-desktop.iss
;
; A per-user install (no administrator): the programs in %LOCALAPPDATA%\Programs\Zinc Desktop,
; a Start menu entry for the window, optionally a desktop icon and the folder on the user's PATH
; (for `zinc-desktop` in a terminal). Uninstalling removes exactly that; the linked accounts,
; their keys in the Credential Manager, settings and logs stay unless the user says to remove
; them too, when the bundle's own `purge` removes them first (silent uninstalls keep them).

#ifndef AppVersion
  #error Define AppVersion: iscc /DAppVersion=1.0.0 ...
#endif
#ifndef SourceDir
  #define SourceDir "..\..\dist\zinc-desktop"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif
#ifndef OutputBaseName
  #define OutputBaseName "zinc-desktop-" + AppVersion + "-windows-x86_64-setup"
#endif

[Setup]
; The id stays the same across releases: it is how an upgrade finds the earlier install
; (uuid5 of the bundle identifier dev.zinc_desktop.ZincDesktop).
AppId={{241BDC5D-1D1F-511B-87A1-3611D381FFEC}
AppName=Zinc Desktop
AppVersion={#AppVersion}
AppVerName=Zinc Desktop {#AppVersion}
AppPublisher=zinc-desktop contributors
DefaultDirName={localappdata}\Programs\Zinc Desktop
DefaultGroupName=Zinc Desktop
DisableProgramGroupPage=yes
; For this user only, never elevated: an install for all users would put the programs in the
; elevating administrator's own folders and the PATH entry in their registry.
PrivilegesRequired=lowest
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#OutputDir}
OutputBaseFilename={#OutputBaseName}
SetupIconFile=..\icons\zinc-desktop.ico
UninstallDisplayIcon={app}\Zinc Desktop.exe
UninstallDisplayName=Zinc Desktop
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ChangesEnvironment=yes
CloseApplications=yes
; Windows' Restart Manager closes a running window before files are replaced.
RestartApplications=no

[Tasks]
Name: "desktopicon"; Description: "Create a &desktop icon"; Flags: unchecked
Name: "addtopath"; Description: "Add zinc-desktop to my &PATH (the command line in a new terminal)"; Flags: unchecked

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\Zinc Desktop"; Filename: "{app}\Zinc Desktop.exe"
Name: "{autoprograms}\Zinc Desktop (simulator)"; Filename: "{app}\Zinc Desktop.exe"; Parameters: "--sandbox"
Name: "{autodesktop}\Zinc Desktop"; Filename: "{app}\Zinc Desktop.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Zinc Desktop.exe"; Description: "Open Zinc Desktop"; Flags: nowait postinstall skipifsilent

[Code]
const
  EnvironmentKey = 'Environment';

{ The user's PATH without our folder, and whether it was there. Entries compare without case
  and without a trailing backslash, as Windows resolves them. }
function PathWithout(const Path, Folder: string; var Found: Boolean): string;
var
  Rest, Entry: string;
  Cut: Integer;
begin
  Result := '';
  Found := False;
  Rest := Path;
  while Rest <> '' do
  begin
    Cut := Pos(';', Rest);
    if Cut = 0 then
    begin
      Entry := Rest;
      Rest := '';
    end
    else
    begin
      Entry := Copy(Rest, 1, Cut - 1);
      Rest := Copy(Rest, Cut + 1, Length(Rest));
    end;
    if CompareText(RemoveBackslashUnlessRoot(Entry), RemoveBackslashUnlessRoot(Folder)) = 0 then
      Found := True
    else if Entry <> '' then
    begin
      if Result <> '' then
        Result := Result + ';';
      Result := Result + Entry;
    end;
  end;
end;

procedure AddToPath(const Folder: string);
var
  Path, Without: string;
  Found: Boolean;
begin
  if not RegQueryStringValue(HKCU, EnvironmentKey, 'Path', Path) then
    Path := '';
  Without := PathWithout(Path, Folder, Found);
  if Found then
    Exit;
  if Path = '' then
    Path := Folder
  else
    Path := Path + ';' + Folder;
  RegWriteExpandStringValue(HKCU, EnvironmentKey, 'Path', Path);
end;

procedure RemoveFromPath(const Folder: string);
var
  Path, Without: string;
  Found: Boolean;
begin
  if not RegQueryStringValue(HKCU, EnvironmentKey, 'Path', Path) then
    Exit;
  Without := PathWithout(Path, Folder, Found);
  if Found then
    RegWriteExpandStringValue(HKCU, EnvironmentKey, 'Path', Without);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssPostInstall) and WizardIsTaskSelected('addtopath') then
    AddToPath(ExpandConstant('{app}'));
end;

{ Before the files go: the user's data stays unless they ask for it to go too. A silent
  uninstall (/SILENT, /VERYSILENT) takes the default answer, No. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
var
  Code: Integer;
begin
  if CurUninstallStep = usUninstall then
  begin
    if SuppressibleMsgBox('Also remove your linked Zinc accounts, their keys in the Windows ' +
        'Credential Manager, and Zinc Desktop''s settings and logs?' + #13#10#13#10 +
        'Choose No to keep them for a later install.', mbConfirmation, MB_YESNO or MB_DEFBUTTON2,
        IDNO) = IDYES then
    begin
      if not Exec(ExpandConstant('{app}\zinc-desktop.exe'), '--sandbox purge --yes', '',
          SW_HIDE, ewWaitUntilTerminated, Code) or (Code <> 0) or
        not Exec(ExpandConstant('{app}\zinc-desktop.exe'), 'purge --yes', '', SW_HIDE,
          ewWaitUntilTerminated, Code) or (Code <> 0) then
        SuppressibleMsgBox('Zinc Desktop could not remove everything (is the Credential ' +
          'Manager reachable?). The program is removed; run "zinc-desktop purge" from an earlier install ' +
          'or remove the keys in Credential Manager.', mbError, MB_OK, IDOK);
    end;
    RemoveFromPath(ExpandConstant('{app}'));
  end;
end;
