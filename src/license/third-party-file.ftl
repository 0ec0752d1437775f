<#-- THIRD-PARTY-NOTICES.txt: the build's runtime dependencies (generated), then the JavaScript packages the gateway's
     dashboard bundles into its page (build-time dependencies of the Web Bundler, so not among the runtime ones). -->
<#function licenseFormat licenses>
    <#assign result = ""/>
    <#list licenses as license>
        <#assign result = result + " (" + license + ")"/>
    </#list>
    <#return result>
</#function>
<#function artifactFormat p>
    <#if p.name?index_of('Unnamed') &gt; -1>
        <#return p.artifactId + " (" + p.groupId + ":" + p.artifactId + ":" + p.version + " - " + (p.url!"no url defined") + ")">
    <#else>
        <#return p.name + " (" + p.groupId + ":" + p.artifactId + ":" + p.version + " - " + (p.url!"no url defined") + ")">
    </#if>
</#function>
Lists of ${dependencyMap?size} third-party dependencies.
<#list dependencyMap as e>
    ${licenseFormat(e.getValue())} ${artifactFormat(e.getKey())}
</#list>

Bundled into the dashboard's JavaScript (gateway, /static/bundle; versions as in the root pom.xml and their own poms):
     (Apache License, Version 2.0) Apache ECharts (org.mvnpm:echarts - https://echarts.apache.org)
     (BSD 3-Clause License) ZRender, a dependency of ECharts (org.mvnpm:zrender - https://github.com/ecomfe/zrender)
     (0BSD) tslib, a dependency of ECharts (org.mvnpm:tslib - https://github.com/microsoft/tslib)
     (Apache License, Version 2.0) keycloak-js (org.webjars.npm:keycloak-js - https://www.keycloak.org)
     (MIT License) js-sha256, a dependency of keycloak-js (org.webjars.npm:js-sha256 - https://github.com/emn178/js-sha256)
     (MIT License) jwt-decode, a dependency of keycloak-js (org.webjars.npm:jwt-decode - https://github.com/auth0/jwt-decode)

Container images (the images profile; see README "Images and Kubernetes"): each service's image adds the libraries above
to its base image, whose own components and notices apply (by default registry.access.redhat.com/ubi9/openjdk-21-runtime,
Red Hat Universal Base Image EULA, OpenJDK GPLv2 with the Classpath Exception). Each image carries the CycloneDX SBOM of
its service's dependencies in META-INF/sbom/bom.json of the application jar.
