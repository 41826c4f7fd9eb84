# WsAudio's two entry points on Windows (build.sh offers the same elsewhere):
#   pwsh ./build.ps1 run [server options]   build everything, serve http://localhost:8080
#   pwsh ./build.ps1 test                   run every test (install the prerequisites listed in README.md first)
param(
    [Parameter(Mandatory = $true, Position = 0)][ValidateSet('run', 'test')][string]$Verb,
    [Parameter(ValueFromRemainingArguments = $true)][string[]]$ServerArgs
)
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'
$env:DOTNET_NOLOGO = '1'

function Invoke-Step([scriptblock]$Step) {
    & $Step
    if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
}

Push-Location Client.Web
# npm packages are installed from package-lock.json when missing or stale, as build.sh does.
$stale = -not (Test-Path node_modules/.package-lock.json) -or
    ((Get-Item package-lock.json).LastWriteTime -gt (Get-Item node_modules/.package-lock.json).LastWriteTime)
if ($stale) { Invoke-Step { npm ci --no-audit --no-fund } }
Invoke-Step { npm run build }
if ($Verb -eq 'test') { Invoke-Step { npm test } }
Pop-Location

Invoke-Step { dotnet build WsAudio.sln -c Release }

switch ($Verb) {
    'run' { dotnet Server/bin/Release/net10.0/WsAudio.Server.dll @ServerArgs }
    'test' { dotnet test WsAudio.sln -c Release --no-build --results-directory TestResults --logger trx }
}
exit $LASTEXITCODE
