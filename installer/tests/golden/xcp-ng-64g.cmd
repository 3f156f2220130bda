xcp-ng-dhcp.xml 64G
