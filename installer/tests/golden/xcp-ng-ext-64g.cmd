xcp-ng-ext.xml 64G
